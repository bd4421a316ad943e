package dev.capstan.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the repository extension's token comes from: a file or the environment, never the command
 * line, which every local user can read (ps, /proc/PID/cmdline).
 */
public final class RepositoryToken {
    public static final String ENV = "CAPSTAN_REPOSITORY_TOKEN";
    public static final String NOT_ON_THE_COMMAND_LINE = "--repository-token is refused: a command line is visible to every "
            + "local user; put the token in a file (--repository-token-file FILE) or in $" + ENV;

    private RepositoryToken() {
    }

    /** The token in {@code file} (nullable) when given, else in {@code $CAPSTAN_REPOSITORY_TOKEN}; null when neither is set. */
    public static String read(Path file, Map<String, String> env) throws IOException {
        if (file != null) {
            String token;
            try {
                token = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new IOException("cannot read the repository token file " + file + ": " + e.getMessage(), e);
            }
            if (token.isEmpty()) {
                throw new IOException("the repository token file " + file + " is empty");
            }
            return token;
        }
        String token = env.get(ENV);
        return token == null || token.isBlank() ? null : token.strip();
    }
}
