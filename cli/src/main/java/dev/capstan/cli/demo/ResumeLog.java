package dev.capstan.cli.demo;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What rank 0's log says about a resume: the last step it reported before the restart, the
 * checkpoint step it resumed from ({@code resuming from FILE at step N}, the trainer's line), and
 * the newest step it reported since.
 */
record ResumeLog(int lastStepBefore, int resumedAt, int latestAfter) {
  private static final Pattern STEP = Pattern.compile("(?m)^step=(\\d+) loss=");
  private static final Pattern RESUMED = Pattern.compile("resuming from \\S+ at step (\\d+)");

  /** Steps done twice: those after the checkpoint that the killed attempt had reached. */
  int stepsLost() {
    return Math.max(0, lastStepBefore - resumedAt);
  }

  /** Whether the resumed attempt is back where the killed one was. */
  boolean caughtUp() {
    return latestAfter >= lastStepBefore;
  }

  static Optional<ResumeLog> parse(String log) {
    Matcher resumed = RESUMED.matcher(log);
    int at = -1;
    int step = 0;
    while (resumed.find()) {
      at = resumed.start();
      step = Integer.parseInt(resumed.group(1));
    }
    if (at < 0) {
      return Optional.empty();
    }
    return Optional.of(new ResumeLog(lastStep(log.substring(0, at)), step, Math.max(step, lastStep(log.substring(at)))));
  }

  private static int lastStep(String text) {
    Matcher m = STEP.matcher(text);
    int last = 0;
    while (m.find()) {
      last = Integer.parseInt(m.group(1));
    }
    return last;
  }
}
