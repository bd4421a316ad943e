package dev.capstan.artifacts.s3;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactPath;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/**
 * Where and how to reach S3, read from the usual variables:
 *
 * <ul>
 *   <li>{@code CAPSTAN_ARTIFACTS_URI=s3://bucket/prefix}, or {@code CAPSTAN_ARTIFACTS_BUCKET} with an
 *       optional {@code CAPSTAN_ARTIFACTS_PREFIX};
 *   <li>{@code AWS_ENDPOINT_URL_S3} or {@code AWS_ENDPOINT_URL} (an S3-compatible server), {@code AWS_REGION}
 *       or {@code AWS_DEFAULT_REGION} (default {@code us-east-1});
 *   <li>{@code CAPSTAN_S3_PATH_STYLE=true|false} (default: true when an endpoint is set, as S3-compatible
 *       servers expect);
 *   <li>{@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY} (and {@code AWS_SESSION_TOKEN}); without
 *       them the SDK's default chain (profile, web identity, container or instance role).
 * </ul>
 *
 * Errors name the variable. {@link #toString()} never shows the secret.
 */
public record S3Settings(String bucket, String prefix, Optional<URI> endpoint, String region, boolean pathStyle,
    Optional<Credentials> credentials) {

  /** Static credentials; {@code sessionToken} may be null. */
  public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken) {
    @Override
    public String toString() {
      return "Credentials[accessKeyId=" + accessKeyId + ", secretAccessKey=***]";
    }
  }

  public S3Settings {
    if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("bucket: must be 3 to 63 lowercase letters, digits, dots or dashes, got \"" + bucket + "\"");
    }
    prefix = prefix == null ? "" : trimSlashes(prefix);
    if (!prefix.isEmpty()) {
      ArtifactPath.check(prefix, "prefix");
    }
  }

  /** True when the environment names an S3 artifact store. */
  public static boolean named(Map<String, String> env) {
    String uri = env.get("CAPSTAN_ARTIFACTS_URI");
    return uri != null && uri.startsWith("s3://") || notBlank(env.get("CAPSTAN_ARTIFACTS_BUCKET"));
  }

  public static S3Settings fromEnvironment(Map<String, String> env) {
    String bucket;
    String prefix;
    String uri = env.get("CAPSTAN_ARTIFACTS_URI");
    if (notBlank(uri)) {
      URI parsed = parse(uri, "CAPSTAN_ARTIFACTS_URI");
      if (!"s3".equals(parsed.getScheme()) || parsed.getHost() == null) {
        throw new IllegalArgumentException("CAPSTAN_ARTIFACTS_URI: must look like s3://bucket/prefix, got \"" + uri + "\"");
      }
      bucket = parsed.getHost();
      prefix = parsed.getPath();
    } else {
      bucket = env.get("CAPSTAN_ARTIFACTS_BUCKET");
      prefix = env.getOrDefault("CAPSTAN_ARTIFACTS_PREFIX", "");
    }
    Optional<URI> endpoint = Optional.ofNullable(first(env, "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"))
        .map(value -> endpoint(value));
    String region = Optional.ofNullable(first(env, "AWS_REGION", "AWS_DEFAULT_REGION")).orElse("us-east-1");
    boolean pathStyle = pathStyle(env.get("CAPSTAN_S3_PATH_STYLE"), endpoint.isPresent());
    Optional<Credentials> credentials = credentials(env);
    try {
      return new S3Settings(bucket, prefix, endpoint, region, pathStyle, credentials);
    } catch (IllegalArgumentException | ArtifactException e) {
      throw new IllegalArgumentException((notBlank(uri) ? "CAPSTAN_ARTIFACTS_URI " : "CAPSTAN_ARTIFACTS_BUCKET ") + e.getMessage(), e);
    }
  }

  /** {@code s3://bucket/prefix}. */
  public String uri() {
    return "s3://" + bucket + "/" + prefix;
  }

  private static Optional<Credentials> credentials(Map<String, String> env) {
    String id = env.get("AWS_ACCESS_KEY_ID");
    String secret = env.get("AWS_SECRET_ACCESS_KEY");
    if (!notBlank(id) && !notBlank(secret)) {
      return Optional.empty();
    }
    if (!notBlank(id) || !notBlank(secret)) {
      throw new IllegalArgumentException((notBlank(id) ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID")
          + ": must be set as well when " + (notBlank(id) ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY") + " is");
    }
    String token = env.get("AWS_SESSION_TOKEN");
    return Optional.of(new Credentials(id, secret, notBlank(token) ? token : null));
  }

  private static URI endpoint(String value) {
    URI uri = parse(value, "AWS_ENDPOINT_URL");
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new IllegalArgumentException("AWS_ENDPOINT_URL: must be an http:// or https:// URL, got \"" + value + "\"");
    }
    return uri;
  }

  private static boolean pathStyle(String value, boolean endpointSet) {
    if (!notBlank(value)) {
      return endpointSet;
    }
    return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("CAPSTAN_S3_PATH_STYLE: must be true or false, got \"" + value + "\"");
    };
  }

  private static URI parse(String value, String name) {
    try {
      return new URI(value.trim());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(name + ": is not a URI: " + e.getMessage(), e);
    }
  }

  private static String first(Map<String, String> env, String... names) {
    for (String name : names) {
      if (notBlank(env.get(name))) {
        return env.get(name).trim();
      }
    }
    return null;
  }

  private static boolean notBlank(String value) {
    return value != null && !value.isBlank();
  }

  private static String trimSlashes(String value) {
    String out = value;
    while (out.startsWith("/")) {
      out = out.substring(1);
    }
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }
}
