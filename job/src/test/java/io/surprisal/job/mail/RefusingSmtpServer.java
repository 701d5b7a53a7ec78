package io.surprisal.job.mail;

import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * A small SMTP server on a loopback port for what GreenMail cannot do: refuse a mail with a reply of
 * our choosing, 4xx or 5xx, at MAIL FROM, at RCPT TO or at the end of DATA. It speaks the part of
 * RFC 5321 Jakarta Mail uses without TLS or login (EHLO/HELO, MAIL, RCPT, DATA with dot-unstuffing,
 * RSET, NOOP, QUIT), one connection at a time, and keeps every mail it was given and how it answered.
 */
final class RefusingSmtpServer implements AutoCloseable {
    /** How the server answers; null accepts, anything else is the whole reply line, e.g. {@code 552 5.3.4 Too big}. */
    interface Rule {
        default String atMailFrom(int mailNumber) {
            return null;
        }

        default String atRecipient(String address) {
            return null;
        }

        /** {@code mailNumber}: 1 for the first mail whose data the server received, 2 for the next... */
        default String atEndOfData(int mailNumber, String message) {
            return null;
        }
    }

    /** One mail's data as received and the reply it got (250 when accepted). */
    record Delivery(String message, String reply) {
        boolean accepted() {
            return reply.startsWith("250");
        }

        MimeMessage parsed() {
            try {
                return new MimeMessage(Session.getInstance(new Properties()),
                        new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Rule rule;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Delivery> deliveries = new ArrayList<>();
    private int mailFroms;

    RefusingSmtpServer(Rule rule) throws IOException {
        this.rule = rule;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::serve, "refusing-smtp-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Every mail whose data the server received, in order, with the reply it got. */
    synchronized List<Delivery> deliveries() {
        return new ArrayList<>(deliveries);
    }

    synchronized List<MimeMessage> accepted() {
        List<MimeMessage> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            if (d.accepted()) {
                out.add(d.parsed());
            }
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(5_000);
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                s.setSoTimeout(10_000);
                converse(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1)), s.getOutputStream());
            } catch (IOException e) {
                // The client went away or the server was closed: take the next connection, if any.
            }
        }
    }

    private void converse(BufferedReader in, OutputStream out) throws IOException {
        reply(out, "220 localhost ESMTP refusing test server");
        boolean mailOpen = false;
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line.toUpperCase(Locale.ROOT);
            switch (command) {
                case "EHLO", "HELO" -> reply(out, "250 localhost");
                case "MAIL" -> {
                    String refusal;
                    synchronized (this) {
                        refusal = rule.atMailFrom(++mailFroms);
                    }
                    mailOpen = refusal == null;
                    reply(out, refusal == null ? "250 2.1.0 OK" : refusal);
                }
                case "RCPT" -> {
                    String address = line.substring(line.indexOf('<') + 1, line.lastIndexOf('>'));
                    String refusal = rule.atRecipient(address);
                    reply(out, refusal == null ? "250 2.1.5 OK" : refusal);
                }
                case "DATA" -> {
                    if (!mailOpen) {
                        reply(out, "503 5.5.1 MAIL first");
                        continue;
                    }
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    String message = readData(in);
                    String answer;
                    synchronized (this) {
                        String refusal = rule.atEndOfData(deliveries.size() + 1, message);
                        answer = refusal == null ? "250 2.0.0 OK queued" : refusal;
                        deliveries.add(new Delivery(message, answer));
                    }
                    mailOpen = false;
                    reply(out, answer);
                }
                case "RSET" -> {
                    mailOpen = false;
                    reply(out, "250 2.0.0 OK");
                }
                case "NOOP" -> reply(out, "250 2.0.0 OK");
                case "QUIT" -> {
                    reply(out, "221 2.0.0 Bye");
                    return;
                }
                default -> reply(out, "502 5.5.2 Command not recognised");
            }
        }
    }

    /** The data up to the line holding a single dot, dot-unstuffed, lines joined by CRLF. */
    private static String readData(BufferedReader in) throws IOException {
        StringBuilder sb = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null && !line.equals(".")) {
            sb.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
        }
        return sb.toString();
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
