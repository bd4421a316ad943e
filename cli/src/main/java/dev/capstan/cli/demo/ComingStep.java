package dev.capstan.cli.demo;

/**
 * A step whose parts Capstan does not have yet: it says so in one line and what it will show, so
 * the demo's story stays whole. Replaced by the real step once its parts exist.
 */
record ComingStep(String name, String title, String needs) implements DemoStep {
  @Override
  public String run(DemoRun run) {
    String line = "coming: needs " + needs;
    run.out().line("  " + line);
    return line;
  }

  /** Marks a step's row in the summary as not run yet, rather than done. */
  static boolean isComing(DemoStep step) {
    return step instanceof ComingStep;
  }
}
