package dev.capstan.serve.fetch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Where models fetched by URI are downloaded and extracted: a folder only the server's user can
 * read, holding one folder per load. A load's folder is deleted when the load fails or when its
 * model is closed (unloaded or replaced); the whole area when the server closes.
 */
public final class WorkArea implements AutoCloseable {
    private final Path root;

    private WorkArea(Path root) {
        this.root = root;
    }

    /** A new, empty work area under the system's temporary directory. */
    public static WorkArea create() throws IOException {
        return new WorkArea(Files.createTempDirectory("capstan-serve-work-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    public Path root() {
        return root;
    }

    /** A new, empty folder for one load of {@code model}. */
    public Path newFolder(String model) throws IOException {
        return Files.createTempDirectory(root, model + "-");
    }

    /** Deletes {@code tree} and everything in it, without following links; nothing when it is absent. */
    public static void delete(Path tree) throws IOException {
        if (!Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes the whole area. */
    @Override
    public void close() throws IOException {
        delete(root);
    }
}
