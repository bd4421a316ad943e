package dev.capstan.bench.gateway;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** REST load from wrk: N connections, each keeping one OIP infer request outstanding. */
final class Wrk {
    private final Path script;

    Wrk(Path body) throws Exception {
        script = Files.createTempFile("infer", ".lua");
        script.toFile().deleteOnExit();
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "local f = io.open(\"" + body + "\", \"r\")\nwrk.body = f:read(\"*a\")\nf:close()\n");
    }

    Point run(int port, int concurrency, int seconds) throws Exception {
        String out = Tools.run("wrk", "-t", Integer.toString(Math.min(2, concurrency)), "-c", Integer.toString(concurrency),
                "-d", seconds + "s", "--latency", "-s", script.toString(),
                "http://127.0.0.1:" + port + "/v2/models/" + ReplicaProcess.SERVICE + "/infer");
        Matcher requests = Pattern.compile("(\\d+) requests in ([\\d.]+)(\\w+)").matcher(out);
        if (!requests.find()) {
            throw new IllegalStateException("cannot read wrk output:\n" + out);
        }
        double elapsedMicros = micros(requests.group(2), requests.group(3));
        long errors = count(out, "Non-2xx or 3xx responses: (\\d+)") + count(out, "Socket errors: connect (\\d+)")
                + count(out, "read (\\d+)") + count(out, "timeout (\\d+)");
        return new Point(Long.parseLong(requests.group(1)) / (elapsedMicros / 1e6), percentile(out, "50%"),
                percentile(out, "99%"), errors);
    }

    private static long count(String out, String regex) {
        Matcher m = Pattern.compile(regex).matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static double percentile(String out, String label) {
        Matcher m = Pattern.compile("\\s" + label + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        return m.find() ? micros(m.group(1), m.group(2)) : Double.NaN;
    }

    private static double micros(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v;
            case "ms" -> v * 1000;
            case "s" -> v * 1_000_000;
            case "m" -> v * 60_000_000;
            default -> throw new IllegalArgumentException(unit);
        };
    }
}
