import fc from 'fast-check';
import { addApplicationOutputs } from '../lib/application/application-outputs';
import { ItsmMailApplication } from '../lib/application/itsm-mail-application';
import { synthStack } from '../test-support/synth';

/*
 * A model of the two-slot rotation over years of applies, to check the design rather than one
 * expression. It mirrors what Terraform does with the HCL that RotatingClientSecret writes (the
 * test at the end checks that the HCL is the modelled one):
 * - time_rotating: at a plan after its rotation time the resource is re-created; base = now;
 * - clock a: rotation = base + L (rotation_days, ignore_changes);
 * - clock b: rotation = a.rotation - L/2 if that is after plantimestamp(), else a.rotation + L/2,
 *   read once at creation (ignore_changes), after clock a when both are re-created in one apply;
 * - each secret: end_date = its clock's rotation, replaced (old one deleted) when the clock is re-created;
 * - output client_secret: the slot whose rotation is later (a on a tie).
 */
interface Slot {
  created: number;
  rotation: number;
  generation: number;
}

function simulate(lifetime: number, applyGaps: readonly number[]) {
  const half = lifetime / 2;
  let now = 0;
  const a: Slot = { created: 0, rotation: lifetime, generation: 0 };
  const b: Slot = { created: 0, rotation: a.rotation - half > now ? a.rotation - half : a.rotation + half, generation: 0 };
  const output = () => (a.rotation >= b.rotation ? { slot: 'a', ...a } : { slot: 'b', ...b });
  let inUse = output(); // the operator pastes the output after every apply
  const events: string[] = [];
  let shortestOverlap = Infinity;
  for (const gap of applyGaps) {
    now += gap;
    // the secret the ITSM tool holds must still be valid when the next apply comes...
    if (inUse.rotation <= now) events.push(`day ${now}: secret of slot ${inUse.slot} expired on day ${inUse.rotation} while in use`);
    if (a.rotation <= now) Object.assign(a, { created: now, rotation: now + lifetime, generation: a.generation + 1 });
    if (b.rotation <= now) {
      const before = a.rotation - half;
      Object.assign(b, { created: now, rotation: before > now ? before : a.rotation + half, generation: b.generation + 1 });
    }
    // ...and the apply must not delete it
    const slot = inUse.slot === 'a' ? a : b;
    if (slot.generation !== inUse.generation) events.push(`day ${now}: apply deleted slot ${inUse.slot}'s secret while in use`);
    for (const s of [a, b]) if (s.rotation - s.created > lifetime + 1e-9) events.push(`day ${now}: a secret lives ${s.rotation - s.created} days`);
    const next = output();
    if (next.slot !== inUse.slot || next.generation !== inUse.generation) shortestOverlap = Math.min(shortestOverlap, inUse.rotation - now);
    inUse = next;
  }
  return { events, shortestOverlap, days: now };
}

describe('client secret rotation schedule (model)', () => {
  it('never leaves the ITSM tool with an expired or deleted secret when applies come at least every quarter lifetime', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(2, 30, 90, 180, 730),
        fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 20, maxLength: 200 }),
        (lifetime, fractions) => {
          const gaps = fractions.map((f) => Math.max(1 / 24, (f * lifetime) / 4));
          const { events } = simulate(lifetime, gaps);
          expect(events).toEqual([]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('with 180 days and monthly applies, keeps at least two months of overlap at every change', () => {
    const { events, shortestOverlap, days } = simulate(
      180,
      Array.from({ length: 60 }, () => 30),
    );
    expect(days).toBe(1800);
    expect(events).toEqual([]);
    expect(shortestOverlap).toBeGreaterThanOrEqual(60);
  });

  it('survives one apply that comes 25 days late (the drift that once picked a 20-day secret)', () => {
    const gaps = [95, 110, 70, 30, 30, 30, 30, 30, 30, 30, 30, 30];
    expect(simulate(180, gaps).events).toEqual([]);
  });

  it('is the schedule the synthesized HCL describes', () => {
    const json = synthStack((stack) => {
      const app = new ItsmMailApplication(stack, 'itsm-mail', {
        displayName: 'x',
        redirectUris: ['https://itsm.example.com/mail/'],
        mail: { flow: 'delegated' },
        clientSecret: { lifetimeDays: 180 },
      });
      addApplicationOutputs(stack, app);
    });
    const [[aName, a], [bName, b]] = Object.entries(json.resource!.time_rotating);
    expect(a).toMatchObject({ rotation_days: 180, lifecycle: { ignore_changes: ['rotation_days'] } });
    const aRot = `time_rotating.${aName}.rotation_rfc3339`;
    expect(b.rotation_rfc3339).toBe(`\${(timecmp(timeadd(${aRot}, "-2160h"), plantimestamp()) == 1) ? timeadd(${aRot}, "-2160h") : timeadd(${aRot}, "2160h")}`);
    expect(b.lifecycle).toEqual({ ignore_changes: ['rotation_rfc3339'] });
    const [slotA, slotB] = Object.keys(json.resource!.azuread_application_password);
    expect(json.output?.client_secret?.value).toBe(
      `\${(timecmp(${aRot}, time_rotating.${bName}.rotation_rfc3339) != -1) ? azuread_application_password.${slotA}.value : azuread_application_password.${slotB}.value}`,
    );
  });
});
