package dev.capstan.bench.gateway;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** External load generators: used where installed, a skip line where not. */
final class Tools {
    private Tools() {
    }

    static boolean installed(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static void skip(String what, String tool, String pkg) {
        System.out.printf("  skip: %s (%s is not installed: apt-get install -y %s)%n", what, tool, pkg);
    }

    /** Runs a tool to completion and returns what it printed. */
    static String run(String... argv) throws Exception {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
