package dev.capstan.serve.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code file://} sources stay inside the model roots whatever the path says: {@code ..},
 * {@code /proc/self/root}, links to files and to folders outside are all refused, and no message
 * lists what a folder holds.
 */
class FileRootsTest {
    @TempDir
    Path temp;
    private Path root;

    @BeforeEach
    void layout() throws IOException {
        root = Files.createDirectories(temp.resolve("models"));
        Path outside = Files.createDirectories(temp.resolve("private"));
        Files.writeString(outside.resolve("secret-notes.onnx"), "secret");
        Files.writeString(outside.resolve("unnamed-neighbour.onnx"), "secret");
        Files.writeString(Files.createDirectories(root.resolve("mlp")).resolve("model.onnx"), "onnx");
        Files.createSymbolicLink(root.resolve("link-to-file.onnx"), outside.resolve("secret-notes.onnx"));
        Files.createSymbolicLink(root.resolve("link-to-dir"), outside);
        Files.createSymbolicLink(root.resolve("link-inside"), root.resolve("mlp"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "ROOT/mlp/model.onnx, allowed",
        "ROOT/mlp, allowed",
        "ROOT/link-inside/model.onnx, allowed",
        "ROOT/../private/secret-notes.onnx, refused",
        "ROOT/mlp/../../private/secret-notes.onnx, refused",
        "/proc/self/root/ROOT/mlp/model.onnx, refused",
        "/proc/self/root/etc/hostname, refused",
        "ROOT/link-to-file.onnx, refused",
        "ROOT/link-to-dir/secret-notes.onnx, refused",
        "ROOT/link-to-dir, refused",
        "ROOT/missing.onnx, missing"})
    void localSourcesStayInsideTheRoots(String path, String expected) throws IOException {
        URI uri = Path.of(path.replace("ROOT", root.toString())).toUri();
        ModelFetcher fetcher = new ModelFetcher(SourcePolicy.defaults().withFileRoots(List.of(root)));
        Path work = temp.resolve("work");
        if (expected.equals("allowed")) {
            assertTrue(Files.exists(fetcher.fetch(uri, null, work)), path);
            return;
        }
        UnsafeModelException refused = assertThrows(UnsafeModelException.class, () -> fetcher.fetch(uri, null, work), path);
        assertTrue(refused.getMessage().contains(expected.equals("missing") ? "does not exist" : "is not inside a model root"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("unnamed-neighbour"), refused.getMessage());
        assertFalse(Files.exists(work), "nothing is written for a refused source");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"file:///etc/hostname", "file://host/etc/hostname"})
    void withoutRootsNoLocalPathIsRead(String uri) {
        UnsafeModelException refused = assertThrows(UnsafeModelException.class,
                () -> new ModelFetcher(SourcePolicy.defaults()).fetch(URI.create(uri), null, temp.resolve("work")));
        assertFalse(refused.getMessage().isEmpty());
    }

    @Test
    void aRootGivenThroughALinkHoldsWhatItsTargetHoldsWhenAsked() throws IOException {
        Path linkedRoot = Files.createSymbolicLink(temp.resolve("models-link"), root);
        Path real = FileRoots.confine(linkedRoot.resolve("mlp/model.onnx"), List.of(linkedRoot));
        assertEquals(root.toRealPath().resolve("mlp/model.onnx"), real);
        assertEquals(real, FileRoots.confine(root.resolve("mlp/model.onnx"), List.of(linkedRoot)));
        // a path must lie inside a root as written too, not only once its links are followed
        assertThrows(UnsafeModelException.class, () -> FileRoots.confine(linkedRoot.resolve("mlp/model.onnx"), List.of(root)));
    }
}
