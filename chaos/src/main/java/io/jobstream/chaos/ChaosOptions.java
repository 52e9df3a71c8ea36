package io.jobstream.chaos;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run's settings: {@code [duration-seconds] [--seed N] [--kills N] [--broker-kills N] [--outage-seconds N]
 * [--drain-seconds N] [--only a,b]}.
 *
 * @param duration how long the workload runs at least (it goes on until the last fault has recovered)
 * @param seed     seeds the fault plan, the fault moments and the workload; printed, so a run can be repeated
 * @param kills    kill -9s of each processor instance
 * @param brokerKills kill -9s of the broker
 * @param outage   how long PostgreSQL and Redis are stopped and the model provider fails
 * @param drain    how long the jobs may take to finish after the workload stops
 * @param only     if not empty, just the faults whose name contains one of these (e.g. {@code broker,document}),
 *                 to repeat one kind of fault
 */
record ChaosOptions(Duration duration, long seed, int kills, int brokerKills, Duration outage, Duration drain,
                    List<String> only) {

    static final String USAGE = "usage: scripts/chaos.sh [duration-seconds=180] [--seed N] [--kills N=1] "
            + "[--broker-kills N=1] [--outage-seconds N=30] [--drain-seconds N=300] [--only name,name]";

    static ChaosOptions parse(String... args) {
        Duration duration = Duration.ofSeconds(180);
        long seed = ThreadLocalRandom.current().nextLong();
        int kills = 1;
        int brokerKills = 1;
        List<String> only = List.of();
        Duration outage = Duration.ofSeconds(30);
        Duration drain = Duration.ofSeconds(300);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                case "--kills" -> kills = Integer.parseInt(value(args, ++i));
                case "--broker-kills" -> brokerKills = Integer.parseInt(value(args, ++i));
                case "--only" -> only = Arrays.stream(value(args, ++i).split(",")).map(String::strip)
                        .filter(name -> !name.isEmpty()).toList();
                case "--outage-seconds" -> outage = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                case "--drain-seconds" -> drain = Duration.ofSeconds(Long.parseLong(value(args, ++i)));
                default -> duration = Duration.ofSeconds(Long.parseLong(args[i]));
            }
        }
        if (duration.isNegative() || duration.isZero() || kills < 0 || brokerKills < 0 || outage.isNegative() || drain.isNegative()) {
            throw new IllegalArgumentException(USAGE);
        }
        return new ChaosOptions(duration, seed, kills, brokerKills, outage, drain, only);
    }

    /** Whether the run includes this fault: every fault, unless {@code --only} names some. */
    boolean includes(Fault fault) {
        return only.isEmpty() || only.stream().anyMatch(fault.name()::contains);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value\n" + USAGE);
        }
        return args[i];
    }
}
