package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code capstan models list|describe|register|alias|delete}: the model registry (local mode). */
@Command(name = "models", description = "The model registry: models, their versions and aliases.",
    subcommands = {ModelsCommand.List.class, ModelsCommand.Describe.class, ModelsCommand.Register.class,
        AliasCommand.class, ModelsCommand.Delete.class})
final class ModelsCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** The local server; the registry is not served in cluster mode yet. */
  static ServerClient server() {
    return ServerConnection.connect();
  }

  @Command(name = "list", description = "List registered models.")
  static final class List implements Callable<Integer> {
    @Mixin
    NamespaceOption ns;

    @Override
    public Integer call() {
      ServerClient client = server();
      java.util.List<JsonNode> models = ModelViews.list(client.list(Kinds.MODEL, ns.orDefault()).path("items"));
      if (models.isEmpty()) {
        System.err.println("No models found in " + ns.orDefault() + " namespace.");
        return 0;
      }
      ModelViews.models(models, ModelViews.list(client.list(Kinds.MODEL_VERSION, ns.orDefault()).path("items"))).print(System.out);
      return 0;
    }
  }

  @Command(name = "describe", description = "Show a model: aliases, versions and alias history.")
  static final class Describe implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Mixin
    NamespaceOption ns;

    @Override
    public Integer call() {
      ModelViews.describe(server(), ns.orDefault(), name, System.out);
      return 0;
    }
  }

  @Command(name = "register", description = "Register the next version of a model (created if missing) from a directory or an s3:// prefix.")
  static final class Register implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--from", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX",
        description = "The directory, or S3 prefix (read by the server with its AWS variables), whose files make the version")
    String from;

    @Option(names = "--job", paramLabel = "NS/NAME", description = "The TrainingJob that produced it: its lineage is copied into the version")
    String job;

    @Option(names = "--description", description = "What this version is")
    String description;

    @Option(names = "--tag", paramLabel = "KEY=VALUE", description = "A tag (repeatable)")
    Map<String, String> tags;

    @Mixin
    NamespaceOption ns;

    @Override
    public Integer call() {
      if (from.contains("://") && !from.startsWith("s3://")) {
        throw new CliErrors.UserError("--from takes a directory or an s3://bucket/prefix URI (is '" + from + "')");
      }
      String source = from.startsWith("s3://") ? from : Path.of(from).toAbsolutePath().normalize().toString();
      ObjectNode body = Manifests.json().createObjectNode().put("source", source);
      if (job != null) {
        body.put("job", job.contains("/") ? job : ns.orDefault() + "/" + job);
      }
      if (description != null) {
        body.put("description", description);
      }
      if (tags != null) {
        body.set("tags", Manifests.json().valueToTree(tags));
      }
      JsonNode v = server().registry("POST", ns.orDefault(), "models/" + name + "/versions", body);
      String state = v.path("status").path("state").asText();
      if (!state.equals("READY")) {
        throw new CliErrors.UserError("model/" + name + " version " + v.path("spec").path("version").asText() + " is " + state
            + ": " + v.path("status").path("message").asText());
      }
      System.out.println("model/" + name + " version " + v.path("spec").path("version").asText() + " registered ("
          + v.path("status").path("files").size() + " files, format " + v.path("status").path("format").asText("unknown") + ")");
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a model with all its versions, or one version (--version).")
  static final class Delete implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Option(names = "--version", paramLabel = "N", description = "Delete only this version (refused while an alias points at it)")
    Long version;

    /** Declared here: this command's --version is a version number, which hides the inherited standard options. */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Mixin
    NamespaceOption ns;

    @Override
    public Integer call() {
      if (version == null) {
        server().registry("DELETE", ns.orDefault(), "models/" + name, null);
        System.out.println("model/" + name + " deleted");
      } else {
        server().registry("DELETE", ns.orDefault(), "modelversions/" + name + "-" + version, null);
        System.out.println("model/" + name + " version " + version + " deleted");
      }
      return 0;
    }
  }
}
