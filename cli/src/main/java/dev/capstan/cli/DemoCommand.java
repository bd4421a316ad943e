package dev.capstan.cli;

import dev.capstan.cli.demo.Demo;
import dev.capstan.cli.demo.DemoOutput;
import dev.capstan.cli.demo.DemoRun;
import dev.capstan.local.LocalPaths;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan demo}: Capstan's story in a few minutes on one machine, with nothing but a JDK
 * (see {@link Demo}). It uses the same control plane and client as every other command, starting
 * a server for this home if none runs and stopping it again at the end unless {@code --keep}.
 */
@Command(name = "demo", description = "Train with 3 workers, survive a killed worker, register the model, serve it from zero, scale it under load, roll out a canary: Capstan in a few minutes.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--fast", description = "Shorten the waits (no step is skipped)")
  boolean fast;

  @Option(names = "--keep", description = "Leave the jobs, the model, the service and the server running to explore")
  boolean keep;

  @Option(names = {"-n", "--namespace"}, description = "Namespace the demo works in (default: demo); it removes what it made there")
  String namespace = "demo";

  @Override
  public Integer call() throws Exception {
    LocalPaths paths = LocalPaths.fromEnvironment();
    boolean serverWasRunning = ServerConnection.find(paths).isPresent();
    ServerClient client = ServerConnection.connect();
    Path workDir = paths.home().resolve("demo").resolve(namespace);
    DemoRun run = new DemoRun(client, namespace, Demo.root(), workDir, fast, new DemoOutput(System.out, DemoOutput.stdoutIsTerminal()));
    Demo demo = new Demo(run);
    System.out.println("capstan demo: namespace " + namespace + ", home " + paths.home() + (fast ? ", fast" : ""));
    demo.cleanUp();
    boolean ok;
    try {
      ok = demo.run();
    } finally {
      if (!keep) {
        demo.cleanUp();
        if (!serverWasRunning) {
          new DownCommand().call();
        }
      }
    }
    demo.tryNext(keep);
    return ok ? 0 : 1;
  }
}
