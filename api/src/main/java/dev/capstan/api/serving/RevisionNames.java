package dev.capstan.api.serving;

import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Revision names: {@code {service}-predictor-00001}, numbered per service from 1, never reused. */
public final class RevisionNames {
  static final String INFIX = "-predictor-";
  static final int DIGITS = 5;
  /** Characters a revision name adds to its service's name. */
  public static final int SUFFIX_LENGTH = INFIX.length() + DIGITS;
  private static final Pattern NAME = Pattern.compile("(.+)" + INFIX + "([0-9]{" + DIGITS + "})");

  private RevisionNames() {}

  public static String name(String service, int number) {
    if (number < 1 || number > InferenceServiceLimits.MAX_REVISION_NUMBER) {
      throw new IllegalArgumentException("revision number out of range: " + number);
    }
    return service + INFIX + String.format("%0" + DIGITS + "d", number);
  }

  /** The number of a revision of this service, or empty when the name is not one of its revisions. */
  public static OptionalInt number(String service, String revision) {
    if (revision == null) {
      return OptionalInt.empty();
    }
    Matcher m = NAME.matcher(revision);
    return m.matches() && m.group(1).equals(service) ? OptionalInt.of(Integer.parseInt(m.group(2))) : OptionalInt.empty();
  }
}
