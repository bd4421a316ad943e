package dev.capstan.gateway;

/**
 * What a REST request asks of the gateway, read from its path alone: one of the gateway's own
 * answers, or a service to forward to (by namespace and name, or by name alone) with the path the
 * replica sees. Paths under {@code /serving/} or {@code /v2/models/} that do not name a service
 * properly, or that hold a {@code .} or {@code ..} segment (plain or percent-encoded: a path that
 * names another once normalised), are malformed (400); anything else is unknown (404).
 */
record RequestTarget(Kind kind, String namespace, String name, String forwardUri, String problem) {
    enum Kind {
        /** {@code /v2/health/live} */
        LIVE,
        /** {@code /v2/health/ready} */
        READY,
        /** {@code /v2} */
        SERVER_METADATA,
        /** {@code /metrics} */
        METRICS,
        /** {@code /serving/{ns}/{name}/v2/health/live} */
        SERVICE_LIVE,
        /** {@code /serving/{ns}/{name}/v2/health/ready} */
        SERVICE_READY,
        /** to a replica of {@code namespace/name}, with {@code forwardUri} */
        FORWARD,
        /** to a replica of the service called {@code name}, namespace from the header or by name */
        FORWARD_BY_NAME,
        MALFORMED,
        UNKNOWN
    }

    static final String SERVING = "/serving/";
    static final String MODELS = "/v2/models/";
    /** Longest namespace or service name: a DNS subdomain. */
    static final int MAX_NAME = 253;

    static RequestTarget parse(String uri) {
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        switch (path) {
            case "/v2/health/live": return local(Kind.LIVE);
            case "/v2/health/ready": return local(Kind.READY);
            case "/v2", "/v2/": return local(Kind.SERVER_METADATA);
            case "/metrics": return local(Kind.METRICS);
            default: break;
        }
        if (path.startsWith(SERVING)) {
            return serving(uri, path);
        }
        if (path.startsWith(MODELS)) {
            int end = path.indexOf('/', MODELS.length());
            String name = path.substring(MODELS.length(), end < 0 ? path.length() : end);
            String problem = nameProblem("model name", name);
            if (problem == null) {
                problem = dotSegmentProblem(path);
            }
            return problem != null ? malformed(problem) : new RequestTarget(Kind.FORWARD_BY_NAME, null, name, uri, null);
        }
        return new RequestTarget(Kind.UNKNOWN, null, null, null, "no such path; services live under /serving/{namespace}/{name}/v2 and /v2/models/{name}");
    }

    private static RequestTarget serving(String uri, String path) {
        int nsEnd = path.indexOf('/', SERVING.length());
        if (nsEnd < 0) {
            return malformed("a service path is /serving/{namespace}/{name}/v2/…");
        }
        int nameEnd = path.indexOf('/', nsEnd + 1);
        String namespace = path.substring(SERVING.length(), nsEnd);
        String name = path.substring(nsEnd + 1, nameEnd < 0 ? path.length() : nameEnd);
        String problem = nameProblem("namespace", namespace);
        if (problem == null) {
            problem = nameProblem("service name", name);
        }
        if (problem != null) {
            return malformed(problem);
        }
        String rest = nameEnd < 0 ? "" : path.substring(nameEnd);
        if (!rest.equals("/v2") && !rest.startsWith("/v2/")) {
            return malformed("a service path continues with /v2/…, not '" + clip(rest) + "'");
        }
        String dots = dotSegmentProblem(rest);
        if (dots != null) {
            return malformed(dots);
        }
        if (rest.equals("/v2/health/live")) {
            return new RequestTarget(Kind.SERVICE_LIVE, namespace, name, null, null);
        }
        if (rest.equals("/v2/health/ready")) {
            return new RequestTarget(Kind.SERVICE_READY, namespace, name, null, null);
        }
        return new RequestTarget(Kind.FORWARD, namespace, name, uri.substring(nameEnd), null);
    }

    /** Null when {@code value} is a plausible Kubernetes name; else what is wrong with it. */
    static String nameProblem(String what, String value) {
        if (value.isEmpty()) {
            return what + " is empty";
        }
        if (value.length() > MAX_NAME) {
            return what + " is longer than " + MAX_NAME + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
            if (!ok) {
                return what + " '" + clip(value) + "' holds a character other than letters, digits, '-', '.', '_'";
            }
        }
        if (value.equals(".") || value.equals("..")) {
            return what + " '" + value + "' is not a name";
        }
        return null;
    }

    /** Null when no segment of {@code path} is {@code .} or {@code ..}, plain or percent-encoded. */
    static String dotSegmentProblem(String path) {
        int start = 0;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (length > 0 && length <= 6 && (path.charAt(start) == '.' || path.charAt(start) == '%')) {
                String segment = path.substring(start, end);
                String decoded = segment.replace("%2e", ".").replace("%2E", ".");
                if (decoded.equals(".") || decoded.equals("..")) {
                    return "the path holds a '" + segment + "' segment; name the resource directly";
                }
            }
            start = end + 1;
        }
        return null;
    }

    private static String clip(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private static RequestTarget local(Kind kind) {
        return new RequestTarget(kind, null, null, null, null);
    }

    private static RequestTarget malformed(String problem) {
        return new RequestTarget(Kind.MALFORMED, null, null, null, problem);
    }
}
