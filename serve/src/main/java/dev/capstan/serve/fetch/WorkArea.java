package dev.capstan.serve.fetch;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where models fetched by URI are downloaded and extracted: a folder only the server's user can
 * read, holding one folder per load. A load's folder is deleted when the load fails or when its
 * model is closed (unloaded or replaced); the whole area when the server closes. An area records
 * the process that made it, so one left behind by a server that was killed is deleted by the next
 * server that starts.
 */
public final class WorkArea implements AutoCloseable {
    private static final String PREFIX = "capstan-serve-work-";
    /** Holds "pid startMillis" of the server that made the area. */
    static final String OWNER = ".owner";

    private final Path root;

    private WorkArea(Path root) {
        this.root = root;
    }

    /** A new, empty work area under the system's temporary directory. */
    public static WorkArea create() throws IOException {
        return create(Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** A new, empty work area under {@code parent}, after deleting the areas there of servers that are gone. */
    static WorkArea create(Path parent) throws IOException {
        removeAbandoned(parent);
        Path root = Files.createTempDirectory(parent, PREFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        ProcessHandle self = ProcessHandle.current();
        Files.writeString(Files.createFile(root.resolve(OWNER), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), self.pid() + " " + startMillis(self).orElse(0L) + "\n");
        return new WorkArea(root);
    }

    /** Deletes this user's work areas under {@code parent} whose server no longer runs. */
    static List<Path> removeAbandoned(Path parent) throws IOException {
        List<Path> abandoned;
        try (Stream<Path> entries = Files.list(parent)) {
            abandoned = entries.filter(p -> p.getFileName().toString().startsWith(PREFIX))
                    .filter(p -> Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS))
                    .filter(WorkArea::ownerIsGone)
                    .toList();
        }
        for (Path area : abandoned) {
            try {
                delete(area);
            } catch (IOException e) {
                System.err.println("capstan serve: cannot delete the abandoned work area " + area + ": " + e.getMessage());
            }
        }
        return abandoned;
    }

    /** True only for an area with an owner record naming a process that has ended (or a new one with its PID). */
    private static boolean ownerIsGone(Path area) {
        try {
            String[] owner = Files.readString(area.resolve(OWNER)).trim().split(" ");
            long pid = Long.parseLong(owner[0]);
            long started = Long.parseLong(owner[1]);
            Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            return process.isEmpty() || process.flatMap(WorkArea::startMillis).map(s -> Math.abs(s - started) >= 1000).orElse(false);
        } catch (IOException | RuntimeException e) {
            return false; // not ours to judge: another user's, or no record of who made it
        }
    }

    private static Optional<Long> startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli);
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
