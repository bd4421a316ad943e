package dev.capstan.cli;

import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.fetch.UnsafeModelException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan fetch URI DIR}: downloads a model into a directory through the model server's
 * guarded fetcher. The cluster's model init container runs it into {@code /mnt/models}; local mode
 * makes its one copy per revision the same way.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true,
    description = {"Download a model (a path, file://, http:// or https://) into DIR, which must be absent or empty.",
        "Archives (.tar.gz, .zip) are extracted; sizes, entry counts and addresses are checked; a failed fetch leaves DIR as it was."})
final class FetchCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "URI", description = "The model source.")
  String source;

  @Parameters(index = "1", paramLabel = "DIR", description = "Where the model goes.")
  Path dir;

  @Option(names = "--sha256", paramLabel = "HEX", description = "Refuse a downloaded file whose SHA-256 differs.")
  String sha256;

  @Option(names = "--allow-private-sources",
      description = "Let http(s) sources reach loopback, link-local and private addresses (off: a model URI cannot reach internal services).")
  boolean allowPrivate;

  @Override
  public Integer call() {
    SourcePolicy policy = SourcePolicy.defaults().withPrivateAddresses(allowPrivate);
    try {
      Path placed = new ModelDownload(policy).into(source, sha256, dir);
      System.out.println("fetched " + source + " into " + placed);
      return 0;
    } catch (UnsafeModelException e) {
      throw new CliErrors.UserError("cannot fetch " + source + ": " + e.getMessage(), 2);
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot fetch " + source + ": " + e.getMessage());
    }
  }
}
