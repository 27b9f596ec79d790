import type { SignInFrequencyUnit } from './values';

/**
 * The "Sign-in frequency" session control: how long a sign-in lasts before the user must
 * authenticate again. Without it Entra ID keeps a rolling 90-day session.
 */
export class SignInFrequency {
  /** Periodic reauthentication every `hours` hours (1-23). */
  public static hours(hours: number): SignInFrequency {
    return new SignInFrequency({ value: hours, unit: 'hours' });
  }

  /** Periodic reauthentication every `days` days (1-365). */
  public static days(days: number): SignInFrequency {
    return new SignInFrequency({ value: days, unit: 'days' });
  }

  /**
   * "Every time": reauthenticate on each sign-in. Graph documents it for risky users, risky
   * sign-ins and Intune enrollment; check the sign-in logs before enforcing it for other resources.
   */
  public static everyTime(): SignInFrequency {
    return new SignInFrequency('everyTime');
  }

  /** `'everyTime'`, or the period. */
  public readonly frequency: 'everyTime' | { readonly value: number; readonly unit: SignInFrequencyUnit };

  private constructor(frequency: SignInFrequency['frequency']) {
    this.frequency = frequency;
  }
}
