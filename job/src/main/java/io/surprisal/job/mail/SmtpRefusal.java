package io.surprisal.job.mail;

import jakarta.mail.MessagingException;
import java.util.Set;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Why a mail was not accepted: the SMTP server's reply code and text, or code 0 when no server
 * answered (unreachable, timed out, TLS or login failed). Only a 5xx reply to the mail itself (its
 * sender, a recipient, or its content) is permanent; authentication replies (530, 534, 535, 538)
 * are a matter of this job's settings, not of the mail, so they are retried like 4xx ones.
 */
record SmtpRefusal(int code, String answer) {
    private static final Set<Integer> AUTHENTICATION = Set.of(530, 534, 535, 538);

    /** The first SMTP reply found in the failure's chain of exceptions. */
    static SmtpRefusal of(Exception failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 20; depth++) {
            int code = replyCode(t);
            if (code > 0) {
                return new SmtpRefusal(code, String.valueOf(t.getMessage()).strip());
            }
            Throwable next = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return new SmtpRefusal(0, String.valueOf(failure.getMessage()).strip());
    }

    private static int replyCode(Throwable t) {
        if (t instanceof SMTPSendFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof SMTPAddressFailedException e) {
            return e.getReturnCode();
        }
        if (t instanceof SMTPSenderFailedException e) {
            return e.getReturnCode();
        }
        return 0;
    }

    /** The server will not take this mail as it is: sending it again the same way fails again. */
    boolean permanent() {
        return code >= 500 && code < 600 && !AUTHENTICATION.contains(code);
    }
}
