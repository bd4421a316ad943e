package dev.capstan.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan models alias set|delete}: compare-and-set on the model as this command read it,
 * so a move made by someone else in between is refused rather than overwritten.
 */
@Command(name = "alias", description = "Point an alias at a version, or delete it.",
    subcommands = {AliasCommand.Set.class, AliasCommand.Delete.class})
final class AliasCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  static String resourceVersion(ServerClient client, String ns, String model) {
    return client.get(Kinds.MODEL, ns, model)
        .orElseThrow(() -> new CliErrors.UserError("model/" + model + " not found in namespace " + ns))
        .path("metadata").path("resourceVersion").asText();
  }

  @Command(name = "set", description = "Point ALIAS of model NAME at VERSION.")
  static final class Set implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS")
    String alias;

    @Parameters(index = "2", paramLabel = "VERSION")
    String version;

    @Mixin
    NamespaceOption ns;

    @Override
    public Integer call() {
      ServerClient client = ModelsCommand.server();
      ObjectNode body = Manifests.json().createObjectNode().put("alias", alias).put("version", version)
          .put("resourceVersion", resourceVersion(client, ns.orDefault(), name));
      client.registry("POST", ns.orDefault(), "models/" + name + "/aliases", body);
      System.out.println("model/" + name + "@" + alias + " -> version " + version);
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete ALIAS of model NAME.")
  static final class Delete implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "ALIAS")
    String alias;

    @Mixin
    NamespaceOption ns;

    @Override
    public Integer call() {
      ServerClient client = ModelsCommand.server();
      String rv = resourceVersion(client, ns.orDefault(), name);
      client.registry("DELETE", ns.orDefault(), "models/" + name + "/aliases/" + java.net.URLEncoder.encode(alias, java.nio.charset.StandardCharsets.UTF_8) + "?" + ServerClient.query("resourceVersion", rv), null);
      System.out.println("model/" + name + "@" + alias + " deleted");
      return 0;
    }
  }
}
