package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} prints usage and exits 0 for the root and for every subcommand, at any depth. */
class HelpTest {
  @Test
  void everyCommandAnswersHelpWithUsageAndExitZero() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new CapstanCommand()), List.of(), paths);
    assertTrue(paths.size() > 10, "subcommands found: " + paths);
    for (List<String> path : paths) {
      for (String flag : List.of("--help", "-h")) {
        List<String> args = new ArrayList<>(path);
        args.add(flag);
        InProcessCli.Outcome run = InProcessCli.run(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), "capstan " + String.join(" ", args) + "\n" + run.err());
        String name = String.join(" ", List.of("capstan", String.join(" ", path))).strip();
        assertTrue(run.out().contains("Usage: " + name), "capstan " + String.join(" ", args) + " printed:\n" + run.out());
        assertFalse(run.err().contains("error"), run.err());
      }
    }
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(path);
    command.getSubcommands().forEach((name, sub) -> {
      if (name.equals(sub.getCommandName())) { // aliases would repeat a command
        List<String> next = new ArrayList<>(path);
        next.add(name);
        collect(sub, next, into);
      }
    });
  }
}
