package dev.capstan.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The repository token comes from a file or the environment; on the command line it is refused. */
class RepositoryTokenTest {
    @TempDir
    Path temp;

    @Test
    void aTokenOnTheCommandLineIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> ServeMain.main(new String[] {
            "--model-dir", temp.resolve("absent").toString(), "--repository-token", "s3cret"}));
        assertTrue(refused.getMessage().contains("--repository-token-file") && refused.getMessage().contains(RepositoryToken.ENV),
                refused.getMessage());
    }

    @Test
    void theFileWinsOverTheEnvironment() throws IOException {
        Path file = Files.writeString(temp.resolve("token"), "from-file\n");
        assertEquals("from-file", RepositoryToken.read(file, Map.of(RepositoryToken.ENV, "from-env")));
        assertEquals("from-env", RepositoryToken.read(null, Map.of(RepositoryToken.ENV, "from-env")));
        assertNull(RepositoryToken.read(null, Map.of()));
    }

    @Test
    void anEmptyOrMissingFileIsAnError() throws IOException {
        Path empty = Files.writeString(temp.resolve("empty"), " \n");
        assertTrue(assertThrows(IOException.class, () -> RepositoryToken.read(empty, Map.of())).getMessage().contains("is empty"));
        assertTrue(assertThrows(IOException.class, () -> RepositoryToken.read(temp.resolve("missing"), Map.of())).getMessage()
                .contains("cannot read the repository token file"));
    }
}
