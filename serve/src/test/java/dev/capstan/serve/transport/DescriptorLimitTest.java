package dev.capstan.serve.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connection cap derived from what /proc says about the open-file limit, and the limits' flags. */
class DescriptorLimitTest {
    @TempDir
    Path temp;

    @Test
    void capLeavesHeadroomWithinBounds() {
        assertEquals(177 - 64, new DescriptorLimit(256, 256, 79).connectionCap());
        assertEquals(DescriptorLimit.MIN_DERIVED_CAP, new DescriptorLimit(64, 64, 60).connectionCap());
        assertEquals(DescriptorLimit.MAX_DERIVED_CAP, new DescriptorLimit(1 << 20, 1 << 20, 100).connectionCap());
        assertEquals(DescriptorLimit.MAX_DERIVED_CAP, new DescriptorLimit(DescriptorLimit.UNKNOWN, DescriptorLimit.UNKNOWN,
                DescriptorLimit.UNKNOWN).connectionCap());
    }

    @Test
    void readsProcLimitsAndOpenDescriptors() throws Exception {
        Path limits = Files.writeString(temp.resolve("limits"), """
                Limit                     Soft Limit           Hard Limit           Units
                Max cpu time              unlimited            unlimited            seconds
                Max open files            1024                 unlimited            files
                """);
        Path fds = Files.createDirectories(temp.resolve("fd"));
        for (int i = 0; i < 5; i++) {
            Files.createFile(fds.resolve(Integer.toString(i)));
        }
        DescriptorLimit read = DescriptorLimit.read(limits, fds);
        assertEquals(new DescriptorLimit(1024, Long.MAX_VALUE, 5), read);
        assertTrue(read.toString().contains("hard unlimited"), read.toString());
        assertFalse(DescriptorLimit.read(temp.resolve("missing"), fds).known());
    }

    @Test
    void flagsAreCheckedWithTheirNames() {
        assertEquals(Duration.ofMillis(500), ConnectionLimits.parseDuration("--idle-timeout", "500ms"));
        assertEquals(Duration.ofMinutes(2), ConnectionLimits.parseDuration("--idle-timeout", "2m"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.parseDuration("--header-timeout", "soon"));
        assertTrue(bad.getMessage().contains("--header-timeout"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.parseDuration("--header-timeout", "0s"));
        assertThrows(IllegalArgumentException.class, () -> ConnectionLimits.defaults().withMaxConnections(-1));
    }
}
