package dev.capstan.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.batch.BatchObserver;
import dev.capstan.serve.engine.Engines;
import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.model.ModelLoader;
import dev.capstan.serve.model.ModelRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A model fetched by URI leaves nothing in the work area once its load fails, it is unloaded or replaced, or the server closes. */
class RepositoryWorkAreaTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path temp;
    private Path sources;
    private ModelRepository models;
    private RepositoryExtension repository;

    @BeforeEach
    void start() throws IOException {
        sources = Files.createDirectories(temp.resolve("sources"));
        ServerConfig config = ServerConfig.defaults().withRepository("token", null,
                SourcePolicy.defaults().withFileRoots(List.of(sources)).withMaxBytes(MIB));
        models = new ModelRepository();
        repository = new RepositoryExtension(config, models, new ModelLoader(Engines.discover(), name -> BatchObserver.NONE));
    }

    @AfterEach
    void stop() {
        repository.close();
        models.close();
    }

    @Test
    void aFailedLoadLeavesNothing() throws IOException {
        Path pickled = zip("pickled.zip", Map.of("model.pkl", new byte[] {(byte) 0x80, 4, (byte) 0x95}));
        CompletionException failed = assertThrows(CompletionException.class, () -> load("pickled", pickled));
        assertTrue(failed.getCause().getMessage().contains("pickle"), failed.getCause().getMessage());
        assertEquals(List.of(), folders("pickled"));
    }

    @Test
    void anArchivePastTheSizeCapLeavesNothing() throws IOException {
        Path capped = zip("capped.zip", Map.of("model.echo", new byte[2 * MIB]));
        CompletionException failed = assertThrows(CompletionException.class, () -> load("capped", capped));
        assertTrue(failed.getCause().getMessage().contains("cap"), failed.getCause().getMessage());
        assertEquals(List.of(), folders("capped"));
    }

    @Test
    void unloadingAndReplacingDeleteTheModelsFolder() throws IOException {
        Path echo = echoArchive();
        load("echo", echo);
        List<Path> first = folders("echo");
        assertEquals(1, first.size(), first.toString());
        load("echo", echo);
        awaitTrue(() -> !Files.exists(first.get(0)), "the replaced model's folder is deleted");
        assertEquals(1, folders("echo").size());

        repository.unload("echo");
        awaitTrue(() -> folders("echo").isEmpty(), "the unloaded model's folder is deleted");
    }

    @Test
    void closingDeletesTheWholeArea() throws IOException {
        load("echo", echoArchive());
        Path root = repository.workRoot().orElseThrow();
        repository.close();
        assertFalse(Files.exists(root));
    }

    private void load(String name, Path archive) {
        repository.load(name, Map.of("storage_uri", archive.toUri().toString())).join();
    }

    private List<Path> folders(String model) {
        Path root = repository.workRoot().orElseThrow();
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(model + "-")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path echoArchive() throws IOException {
        Path dir = TestingModels.echo(temp.resolve("build"), "echo", 0, null);
        return zip("echo.zip", Map.of("model.echo", Files.readAllBytes(dir.resolve("model.echo")),
                "model.yaml", Files.readAllBytes(dir.resolve("model.yaml"))));
    }

    private Path zip(String name, Map<String, byte[]> entries) throws IOException {
        Path zip = sources.resolve(name);
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(entry.getKey()));
                out.write(entry.getValue());
            }
        }
        return zip;
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError(what + ": still not so after 30 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
