package dev.capstan.serve.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A work area left behind by a server that was killed is deleted when the next server starts. */
class WorkAreaTest {
    @TempDir Path tmp;

    @Test
    void theNextServerDeletesTheAreaOfAKilledOneAndKeepsTheOthers() throws Exception {
        Process gone = new ProcessBuilder("sleep", "60").start();
        long goneStart = gone.info().startInstant().map(Instant::toEpochMilli).orElseThrow();
        gone.destroyForcibly().waitFor();
        Path abandoned = area("capstan-serve-work-killed", gone.pid() + " " + goneStart);
        Files.writeString(Files.createDirectories(abandoned.resolve("model-1")).resolve("model.onnx"), "weights");

        ProcessHandle self = ProcessHandle.current();
        Path live = area("capstan-serve-work-live",
                self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElseThrow());
        Path unknown = Files.createDirectories(tmp.resolve("capstan-serve-work-unrecorded"));
        Path unrelated = Files.createDirectories(tmp.resolve("something-else"));

        try (WorkArea next = WorkArea.create(tmp)) {
            assertFalse(Files.exists(abandoned), "the killed server's area is still there");
            assertTrue(Files.isDirectory(live), "a running server's area was deleted");
            assertTrue(Files.isDirectory(unknown), "an area with no owner record was deleted");
            assertTrue(Files.isDirectory(unrelated));
            assertEquals(self.pid(), Long.parseLong(Files.readString(next.root().resolve(WorkArea.OWNER)).split(" ")[0]));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(next.root().resolve(WorkArea.OWNER))),
                    "only its owner may read or write the owner record");
        }
    }

    private Path area(String name, String owner) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve(WorkArea.OWNER), owner + "\n");
        return dir;
    }
}
