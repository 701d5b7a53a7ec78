package io.surprisal.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/surprisal dashboard}: its flags resolve into one {@link DashboardConfig}; then it runs until stopped. */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "The alerts of the alerts topic (read_committed) in a web page, with actions written to the feedback topic (docs/dashboard.md).")
public final class DashboardMain implements Callable<Integer> {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhd])");

    @Option(names = "--host", defaultValue = DashboardConfig.DEFAULT_HOST,
            description = "address to bind (default ${DEFAULT-VALUE}); any other than a loopback address needs a token")
    String host;

    @Option(names = "--port", defaultValue = "" + DashboardConfig.DEFAULT_PORT, description = "port (default ${DEFAULT-VALUE}; 0: any free port)")
    int port;

    @Option(names = "--kafka", defaultValue = "127.0.0.1:9092", description = "bootstrap servers (default ${DEFAULT-VALUE})")
    String kafka;

    @Option(names = "--alerts-topic", defaultValue = "surprisal-alerts", description = "the job's alerts topic (default ${DEFAULT-VALUE})")
    String alertsTopic;

    @Option(names = "--feedback-topic", defaultValue = "surprisal-feedback", description = "where actions go (default ${DEFAULT-VALUE})")
    String feedbackTopic;

    @Option(names = "--store", defaultValue = "${sys:user.home}/.surprisal/dashboard/alerts",
            description = "the embedded database's file, without its .mv.db suffix (default ${DEFAULT-VALUE})")
    Path store;

    @Option(names = "--retention", defaultValue = "30d", description = "how long alerts are kept: 12h, 30d, ... (default ${DEFAULT-VALUE})")
    String retention;

    @Option(names = "--token-env", defaultValue = "SURPRISAL_DASHBOARD_TOKEN",
            description = "name of the environment variable holding the access token (default ${DEFAULT-VALUE}); unset: no token")
    String tokenEnv;

    @Option(names = "--by", defaultValue = "dashboard", description = "the 'by' of the feedback records written (default ${DEFAULT-VALUE})")
    String actor;

    /** The configuration these flags give, the token read from {@code environment}. */
    DashboardConfig config(UnaryOperator<String> environment) {
        return new DashboardConfig(host, port, kafka, alertsTopic, feedbackTopic, store, duration(retention), environment.apply(tokenEnv), actor);
    }

    static Duration duration(String s) {
        Matcher m = DURATION.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + s + "' (use 30m, 12h, 30d)");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    @Override
    public Integer call() throws Exception {
        DashboardConfig config = config(System::getenv);
        Files.createDirectories(config.storePath().toAbsolutePath().getParent());
        Dashboard dashboard = Dashboard.start(config);
        System.out.println("dashboard: " + dashboard.url() + " (alerts from " + config.alertsTopic() + " on " + config.bootstrapServers()
                + ", store " + config.storePath() + ")");
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                dashboard.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new DashboardMain());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            System.err.println("dashboard: " + e.getMessage());
            return 1;
        });
        System.exit(cli.execute(args));
    }
}
