/*
 * Inserts a flood of failed logins of one account into a file of JSON lines (gzipped or not), in
 * event-time order, so the job can be timed and its alerts compared with and without the flood
 * (docs/floods-and-budgets.md). A single-file program: run it with `java`, nothing to build, and it
 * stays out of the job jar.
 *
 *   java src-test-data/floods/InsertFlood.java --input src-test-data/samples/quickstart.jsonl.gz \
 *       --out /tmp/flood.jsonl.gz [--count 20000] [--gap-ms 10] [--from 2026-11-03T12:00:00Z] \
 *       [--user flooded-account] [--ip 203.0.113.66]
 */
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

public class InsertFlood {
    private static final Pattern TS = Pattern.compile("\"ts\":\"([^\"]+)\"");

    public static void main(String[] args) throws IOException {
        Map<String, String> opt = new HashMap<>(Map.of(
                "--count", "20000", "--gap-ms", "10", "--from", "2026-11-03T12:00:00Z",
                "--user", "flooded-account", "--ip", "203.0.113.66"));
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i], args[i + 1]);
        }
        if (!opt.containsKey("--input") || !opt.containsKey("--out") || args.length % 2 != 0) {
            System.err.println("usage: java InsertFlood.java --input FILE --out FILE [--count N] [--gap-ms MS] [--from ISO] [--user U] [--ip IP]");
            System.exit(2);
        }
        int count = Integer.parseInt(opt.get("--count"));
        long gap = Long.parseLong(opt.get("--gap-ms"));
        Instant from = Instant.parse(opt.get("--from"));
        Path out = Path.of(opt.get("--out"));
        int next = 0;
        long written = 0;
        try (BufferedReader in = reader(Path.of(opt.get("--input"))); Writer w = writer(out)) {
            for (String line; (line = in.readLine()) != null; ) {
                Instant ts = ts(line);
                // The flood's failures before this line's time go first (the file stays in time order).
                while (next < count && !from.plusMillis(gap * next).isAfter(ts)) {
                    w.write(failure(opt, from.plusMillis(gap * next), next++));
                    written++;
                }
                w.write(line);
                w.write('\n');
                written++;
            }
            while (next < count) {
                w.write(failure(opt, from.plusMillis(gap * next), next++));
                written++;
            }
        }
        System.out.printf(Locale.ROOT, "%s: %,d lines, %,d of them failed logins of %s from %s, %d ms apart%n",
                out, written, count, opt.get("--user"), from, gap);
    }

    private static String failure(Map<String, String> opt, Instant ts, int i) {
        return String.format(Locale.ROOT, "{\"ts\":\"%s\",\"event_id\":\"flood-%d\",\"user\":\"%s\",\"session\":\"s-flood\","
                        + "\"action\":\"login\",\"status\":\"fail\",\"ip\":\"%s\",\"country\":\"US\",\"device\":\"desktop\","
                        + "\"user_agent\":\"python-requests/2.32.3\"}%n",
                ts, i, opt.get("--user"), opt.get("--ip"));
    }

    private static Instant ts(String line) {
        Matcher m = TS.matcher(line);
        if (!m.find()) {
            throw new IllegalArgumentException("a line without \"ts\": " + line);
        }
        return Instant.parse(m.group(1));
    }

    private static BufferedReader reader(Path p) throws IOException {
        InputStream in = Files.newInputStream(p);
        if (p.toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    private static Writer writer(Path p) throws IOException {
        OutputStream out = Files.newOutputStream(p);
        if (p.toString().endsWith(".gz")) {
            out = new GZIPOutputStream(out, 1 << 16);
        }
        return new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
    }
}
