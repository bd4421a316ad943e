package dev.capstan.artifacts.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.ArtifactStores;
import dev.capstan.artifacts.file.FileArtifactStore;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3SettingsTest {
  @TempDir Path home;

  @Test
  void aUriNamesBucketAndPrefixAndAnEndpointTurnsOnPathStyle() {
    var settings = S3Settings.fromEnvironment(Map.of("CAPSTAN_ARTIFACTS_URI", "s3://ml-models/team/a/",
        "AWS_ENDPOINT_URL", "http://127.0.0.1:9000", "AWS_DEFAULT_REGION", "eu-west-1",
        "AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "very-secret"));

    assertEquals("ml-models", settings.bucket());
    assertEquals("team/a", settings.prefix());
    assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), settings.endpoint());
    assertEquals("eu-west-1", settings.region());
    assertTrue(settings.pathStyle());
    assertFalse(settings.toString().contains("very-secret"), settings.toString());
  }

  @Test
  void aBucketAloneUsesAwsDefaults() {
    var settings = S3Settings.fromEnvironment(Map.of("CAPSTAN_ARTIFACTS_BUCKET", "ml-models", "CAPSTAN_S3_PATH_STYLE", "false"));
    assertEquals("", settings.prefix());
    assertEquals("us-east-1", settings.region());
    assertFalse(settings.pathStyle());
    assertEquals(Optional.empty(), settings.credentials());
    assertEquals(Optional.of("s3://ml-models/"), Optional.of(settings.uri()));
  }

  @Test
  void badValuesNameTheVariable() {
    assertMessage("CAPSTAN_ARTIFACTS_URI: must look like s3://bucket/prefix", Map.of("CAPSTAN_ARTIFACTS_URI", "gs://x/y"));
    assertMessage("CAPSTAN_ARTIFACTS_BUCKET bucket: must be 3 to 63", Map.of("CAPSTAN_ARTIFACTS_BUCKET", "Not_A_Bucket"));
    assertMessage("CAPSTAN_ARTIFACTS_URI prefix: \"a/../b\"", Map.of("CAPSTAN_ARTIFACTS_URI", "s3://models/a/../b"));
    assertMessage("AWS_SECRET_ACCESS_KEY: must be set as well", Map.of("CAPSTAN_ARTIFACTS_BUCKET", "models", "AWS_ACCESS_KEY_ID", "id"));
    assertMessage("AWS_ENDPOINT_URL: must be an http:// or https:// URL",
        Map.of("CAPSTAN_ARTIFACTS_BUCKET", "models", "AWS_ENDPOINT_URL", "ftp://x"));
    assertMessage("CAPSTAN_S3_PATH_STYLE: must be true or false",
        Map.of("CAPSTAN_ARTIFACTS_BUCKET", "models", "CAPSTAN_S3_PATH_STYLE", "yes"));
  }

  @Test
  void withoutS3TheStoreIsTheDirectoryUnderCapstanHome() {
    var store = ArtifactStores.fromEnvironment(Map.of(), home);
    assertEquals(home.resolve("artifacts").toAbsolutePath(), ((FileArtifactStore) store).root());
    var error = assertThrows(IllegalArgumentException.class,
        () -> ArtifactStores.fromEnvironment(Map.of("CAPSTAN_ARTIFACTS_URI", "/tmp/x"), home));
    assertTrue(error.getMessage().startsWith("CAPSTAN_ARTIFACTS_URI: must be an s3://"), error.getMessage());
    var limits = assertThrows(IllegalArgumentException.class,
        () -> ArtifactLimits.fromEnvironment(Map.of("CAPSTAN_ARTIFACTS_MAX_FILES", "-1")));
    assertTrue(limits.getMessage().startsWith("CAPSTAN_ARTIFACTS_MAX_FILES: must be a whole number"), limits.getMessage());
  }

  private static void assertMessage(String start, Map<String, String> env) {
    var error = assertThrows(RuntimeException.class, () -> S3Settings.fromEnvironment(env));
    assertTrue(error.getMessage().startsWith(start), error.getMessage());
  }
}
