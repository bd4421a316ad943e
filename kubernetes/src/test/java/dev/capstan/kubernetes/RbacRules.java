package dev.capstan.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The committed RBAC (deploy/rbac.yaml) as a set of {@code group/resource verb} grants, and the
 * grant each recorded API request needs.
 */
public final class RbacRules {
  /** Allowed to every authenticated user by the built-in system:basic-user role. */
  static final Set<String> BUILT_IN = Set.of("authorization.k8s.io/selfsubjectrulesreviews create");

  /**
   * Granted but not called: JOSDK checks at start-up that leader election may get, create and
   * update its Lease (a SelfSubjectRulesReview), and refuses to start otherwise; renewals patch.
   */
  static final Set<String> CHECKED_AT_STARTUP = Set.of("coordination.k8s.io/leases update");

  /**
   * Grants only InferenceServices exercise (InferenceServiceOperatorTest checks each is needed);
   * the training tests, which run the same operator, do not count them as unused.
   */
  public static final Set<String> SERVING = Set.of("capstan.dev/inferenceservices patch",
      "capstan.dev/inferenceservices delete", "capstan.dev/inferenceservices/status update", "apps/deployments get",
      "apps/deployments create", "apps/deployments patch", "apps/deployments delete");

  /**
   * Grants only the registration of job outputs exercises (ClusterJobOutputsTest checks each is
   * needed); the training tests, which run the same operator without outputs, do not count them as unused.
   */
  public static final Set<String> REGISTRY = Set.of("capstan.dev/models get", "capstan.dev/models create",
      "capstan.dev/models/status update", "capstan.dev/modelversions get", "capstan.dev/modelversions list",
      "capstan.dev/modelversions create", "capstan.dev/modelversions/status update", "capstan.dev/trainingjobs get",
      "capstan.dev/trainingjobs patch");

  /**
   * Grants only Queues exercise (ClusterQueueTest checks each is needed); the other tests, which
   * run the same operator without a Queue, do not count them as unused.
   */
  public static final Set<String> QUEUES = Set.of("capstan.dev/queues/status update");

  private RbacRules() {}

  public static Path committed() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("deploy/rbac.yaml"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("deploy/rbac.yaml not found above " + Path.of("").toAbsolutePath());
    }
    return dir.resolve("deploy/rbac.yaml");
  }

  public static Set<String> granted(Path file) {
    Set<String> grants = new TreeSet<>();
    try {
      for (var doc : Manifests.parseDocuments(Files.readString(file), file.toString())) {
        String kind = doc.path("kind").asText();
        if (!kind.equals("ClusterRole") && !kind.equals("Role")) {
          continue;
        }
        for (JsonNode rule : doc.path("rules")) {
          for (JsonNode g : rule.path("apiGroups")) {
            for (JsonNode r : rule.path("resources")) {
              for (JsonNode v : rule.path("verbs")) {
                grants.add(g.asText() + "/" + r.asText() + " " + v.asText());
              }
            }
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return grants;
  }

  public static Set<String> needed(List<RecordingDispatcher.Request> requests) {
    Set<String> needed = new LinkedHashSet<>();
    for (RecordingDispatcher.Request r : requests) {
      String grant = needed(r.method(), r.path());
      if (!BUILT_IN.contains(grant)) {
        needed.add(grant);
      }
    }
    return needed;
  }

  /** {@code group/resource[/subresource] verb} for one request, as the API server authorizes it. */
  static String needed(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    String[] parts = path.substring(1).split("/");
    String group;
    int i;
    if (parts[0].equals("api")) {
      group = "";
      i = 2;
    } else {
      group = parts[1];
      i = 3;
    }
    // /api/v1/namespaces/<ns>/<resource>...; /api/v1/namespaces/<ns> alone is the namespace itself.
    if (parts.length > i + 2 && parts[i].equals("namespaces")) {
      i += 2;
    }
    String resource = parts[i];
    String name = parts.length > i + 1 ? parts[i + 1] : null;
    if (parts.length > i + 2) {
      resource += "/" + parts[i + 2];
    }
    String verb = switch (method) {
      case "GET" -> name != null ? "get" : query.contains("watch=true") ? "watch" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> name != null ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return group + "/" + resource + " " + verb;
  }
}
