import { ApplicationPasswordA } from '@cdktf/provider-azuread/lib/application-password';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Rotating } from '@cdktf/provider-time/lib/rotating';
import { Fn, Op, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { declare } from '../inspection/declarations';
import { clientSecretProblems, normalizeClientSecret, rotationOffsetHours, type ClientSecretProps } from '../model/client-secret';
import { throwIfProblems } from '../model/problem';

export interface RotatingClientSecretProps extends ClientSecretProps {
  /** Terraform resource ID of the application (`azuread_application.id`, `/applications/<object id>`). */
  readonly applicationId: string;
  /**
   * Display name prefix of the secrets in the portal ("Certificates & secrets").
   * @default 'Terraform-managed'
   */
  readonly displayName?: string;
}

/**
 * A client secret that rotates on a schedule without leaving the ITSM tool without a working one.
 *
 * Two slots, `a` and `b`, each hold one `azuread_application_password`. Slot `a` is driven by a
 * `time_rotating` clock with a period of one lifetime; slot `b`'s clock is due half a lifetime away
 * from slot `a`'s, so the slots rotate alternately. Each secret expires exactly when its slot is due
 * to rotate (its lifetime is never above `lifetimeDays`), and when one slot rotates the other still
 * has about half a lifetime left: that is the window to paste the new value into the ITSM tool.
 * `value` is the secret that stays valid longest. Rotation happens at the first `terraform apply` after a
 * slot is due; nothing is computed from the clock at synthesis, so the output stays deterministic.
 */
export class RotatingClientSecret extends Construct {
  /** The value of the secret that stays valid longest, the one to give the ITSM tool (sensitive). */
  public readonly value: string;
  /** That secret's end date (RFC 3339). */
  public readonly endDate: string;
  /** That secret's key ID. */
  public readonly keyId: string;
  /** The two slots' secrets, `a` then `b`. */
  public readonly secrets: readonly ApplicationPasswordA[];
  /** The lifetime of each secret, in days. */
  public readonly lifetimeDays: number;

  constructor(scope: Construct, id: string, props: RotatingClientSecretProps) {
    super(scope, id);
    throwIfProblems(`RotatingClientSecret (${this.node.path})`, clientSecretProblems(props, Token.isUnresolved));
    const { lifetimeDays } = normalizeClientSecret(props);
    this.lifetimeDays = lifetimeDays;
    const halfHours = rotationOffsetHours(lifetimeDays);
    const name = props.displayName ?? 'Terraform-managed';

    ensureTimeProvider(this);
    // A new lifetime applies from slot a's next rotation: changing rotation_days in place would move
    // the end date of the secret in use, which replaces (deletes) it at once.
    const clockA = new Rotating(this, 'rotation-a', { rotationDays: lifetimeDays, lifecycle: { ignoreChanges: ['rotation_days'] } });
    // Slot b is due half a lifetime before slot a when that is still ahead (timecmp = 1), else half a lifetime
    // after it. Read once, when slot b's clock is created: later changes of slot a must not move it.
    const before = Fn.timeadd(clockA.rotationRfc3339, `-${halfHours}h`);
    const after = Fn.timeadd(clockA.rotationRfc3339, `${halfHours}h`);
    const clockB = new Rotating(this, 'rotation-b', {
      rotationRfc3339: Fn.conditional(Op.eq(Fn.timecmp(before, Fn.plantimestamp()), 1), before, after),
      lifecycle: { ignoreChanges: ['rotation_rfc3339'] },
    });

    const slot = (letter: string, clock: Rotating) =>
      new ApplicationPasswordA(this, `slot-${letter}`, {
        applicationId: props.applicationId,
        displayName: `${name} (slot ${letter})`,
        endDate: clock.rotationRfc3339,
        rotateWhenChanged: { rotation: clock.id },
      });
    const a = slot('a', clockA);
    const b = slot('b', clockB);
    this.secrets = [a, b];
    if (!Token.isUnresolved(lifetimeDays)) {
      declare(this, {
        kind: 'rotatingSecret',
        path: this.node.path,
        lifetimeDays,
        slots: [
          { slot: 'a', password: a.node.path, clock: clockA.node.path },
          { slot: 'b', password: b.node.path, clock: clockB.node.path },
        ],
      });
    }

    // The secret to use is the one that stays valid longest: the other slot is due first, and when
    // it rotates its new secret outlives this one, which then still has its remaining days as the
    // overlap. (timecmp is -1, 0 or 1; cdktf renders a literal 0 operand as `undefined`.)
    const aLastsLonger = Op.neq(Fn.timecmp(clockA.rotationRfc3339, clockB.rotationRfc3339), -1);
    this.value = Token.asString(Fn.conditional(aLastsLonger, a.value, b.value));
    this.endDate = Token.asString(Fn.conditional(aLastsLonger, a.endDate, b.endDate));
    this.keyId = Token.asString(Fn.conditional(aLastsLonger, a.keyId, b.keyId));
  }
}

/** The stack's `time` provider, declared once however many secrets it holds. */
function ensureTimeProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild('time')) new TimeProvider(stack, 'time');
}
