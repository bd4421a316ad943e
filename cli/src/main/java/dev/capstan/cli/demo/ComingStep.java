package dev.capstan.cli.demo;

/**
 * A step the demo does not run yet: it says so in one line, with what it will show and where to
 * try it by hand, so the demo's story stays whole. Replaced by the real step in {@link Demo#steps()}.
 */
record ComingStep(String name, String title, String what) implements DemoStep {
  @Override
  public String run(DemoRun run) {
    String line = "coming to the demo: " + what;
    run.out().line("  " + line);
    return line;
  }

  /** Marks a step's row in the summary as not run yet, rather than done. */
  static boolean isComing(DemoStep step) {
    return step instanceof ComingStep;
  }
}
