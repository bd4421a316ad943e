package dev.capstan.cli.demo;

/**
 * One step of {@code capstan demo}. Steps run in order on one {@link DemoRun}; a step that throws
 * fails the demo, and the steps after it are not run.
 */
public interface DemoStep {
  /** What the step shows, as its heading. */
  String title();

  /** A few words for its row in the summary. */
  String name();

  /** Runs the step, printing as it goes; returns the figures for its row in the summary. */
  String run(DemoRun run) throws Exception;
}
