package com.qualys.lambdascanner.notify;

import com.qualys.lambdascanner.common.error.TerminalException;
import com.qualys.lambdascanner.common.risk.RiskScore;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What {@code ALERT_ON_NEW_ONLY} and {@code CHAT_MIN_SEVERITY} key on: a Qualys severity ({@code 1}-{@code 5}, as
 * before) or a risk band ({@code risk:critical}, {@code risk:high}, {@code risk:medium}, {@code risk:low}: the
 * finding's RiskScore at or above the band's floor, docs/result-record.md "Risk"). {@code 0} is off (alert only).
 *
 * @param severity the severity at or above which it is reached, 0 when keyed on risk or off
 * @param band the risk band at or above which it is reached, null when keyed on severity or off
 */
record Threshold(int severity, RiskScore.Band band) {

  static final Threshold OFF = new Threshold(0, null);

  /** Exactly what the template's AllowedPattern admits; anything else is refused, never guessed. */
  private static final Pattern VALUE = Pattern.compile("[0-5]|risk:(critical|high|medium|low)");

  static Threshold severity(int severity) {
    return new Threshold(severity, null);
  }

  static Threshold risk(RiskScore.Band band) {
    return new Threshold(0, band);
  }

  /**
   * @param offAllowed whether {@code 0} (off) is a valid value
   * @throws TerminalException when the value is neither a severity nor a risk band (a typo, or a hostile value)
   */
  static Threshold parse(String name, String value, boolean offAllowed) {
    String allowed = (offAllowed ? "0 (off), " : "") + "a severity 1 to 5, or risk:critical, risk:high, risk:medium"
        + " or risk:low";
    if (value == null || value.length() > 16 || !VALUE.matcher(value).matches()) {
      throw new TerminalException("environment variable " + name + " must be " + allowed);
    }
    if (value.startsWith("risk:")) {
      return risk(RiskScore.Band.valueOf(value.substring(5).toUpperCase(Locale.ROOT)));
    }
    int severity = Integer.parseInt(value);
    if (severity == 0 && !offAllowed) {
      throw new TerminalException("environment variable " + name + " must be " + allowed);
    }
    return severity(severity);
  }

  boolean off() {
    return severity == 0 && band == null;
  }

  /** Whether something with this highest severity and highest risk (0 when nothing) reaches the threshold. */
  boolean reachedBy(int highestSeverity, int highestRisk) {
    if (band != null) {
      return highestRisk > 0 && highestRisk >= band.floor();
    }
    return highestSeverity > 0 && highestSeverity >= severity;
  }

  /** As configured: {@code 4} or {@code risk:high}. */
  @Override
  public String toString() {
    return band == null ? Integer.toString(severity) : "risk:" + band.name().toLowerCase(Locale.ROOT);
  }
}
