package io.runnel.testing;

/**
 * The command line of {@link FaultyProxy#main}, parsed.
 *
 * @param listenPort port to listen on (127.0.0.1), 0 = a free one
 * @param targetHost host to forward to
 * @param targetPort port to forward to
 * @param faults the faults to inject
 */
record FaultyProxyArgs(int listenPort, String targetHost, int targetPort, Faults faults) {
    static final String USAGE = """
            usage: java -cp runnel-test-support.jar io.runnel.testing.FaultyProxy --target HOST:PORT [options]
              --listen PORT            port to listen on, on 127.0.0.1 (default 0: a free port)
              --target HOST:PORT       where to forward every accepted connection (required)
              --reset-mean-bytes N     reset a connection after an exponentially distributed number of bytes
                                       (both directions) with mean N; 0 = never (default 0)
              --seed S                 seed of the reset points (default: random; printed on stderr at start
                                       and with the counters at exit)
              --chunk-delay-ms MS      forward each chunk MS milliseconds after it was read (one way's
                                       latency; reading goes on meanwhile) (default 0)
            Prints "faulty-proxy listening on PORT" once listening, and the counters when stopped (SIGTERM, SIGINT).""";

    /**
     * Parses the options above.
     *
     * @throws IllegalArgumentException naming the option and its value if an option is unknown, lacks its value, or
     *     has a bad one, or if {@code --target} is missing
     */
    static FaultyProxyArgs parse(String... args) {
        int listenPort = 0;
        String targetHost = null;
        int targetPort = 0;
        Faults faults = Faults.none();
        for (int i = 0; i < args.length; i += 2) {
            String option = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            String value = args[i + 1];
            switch (option) {
                case "--listen" -> listenPort = port(option, value, value, 0);
                case "--target" -> {
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--target must be HOST:PORT: " + value);
                    }
                    targetHost = value.substring(0, colon);
                    if (targetHost.startsWith("[") && targetHost.endsWith("]")) {
                        targetHost = targetHost.substring(1, targetHost.length() - 1); // [::1]:4567
                    }
                    targetPort = port(option, value.substring(colon + 1), value, 1);
                }
                case "--reset-mean-bytes" -> faults = faults.withResetMeanBytes(nonNegative(option, value));
                case "--seed" -> faults = faults.withSeed(number(option, value));
                case "--chunk-delay-ms" -> faults = faults.withChunkDelayMillis(nonNegative(option, value));
                default -> throw new IllegalArgumentException("unknown option: " + option);
            }
        }
        if (targetHost == null) {
            throw new IllegalArgumentException("--target HOST:PORT is required");
        }
        return new FaultyProxyArgs(listenPort, targetHost, targetPort, faults);
    }

    /** The port in {@code digits}; errors quote {@code value}, the option's whole value. */
    private static int port(String option, String digits, String value, int min) {
        long port = number(option, digits);
        if (port < min || port > 65535) {
            throw new IllegalArgumentException(option + " port must be in " + min + "..65535: " + value);
        }
        return (int) port;
    }

    private static long nonNegative(String option, String value) {
        long n = number(option, value);
        if (n < 0) {
            throw new IllegalArgumentException(option + " must not be negative: " + value);
        }
        return n;
    }

    private static long number(String option, String value) {
        try {
            return Long.decode(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " is not a number: " + value, e);
        }
    }
}
