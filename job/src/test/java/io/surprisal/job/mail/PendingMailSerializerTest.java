package io.surprisal.job.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.alert.Alert;
import io.surprisal.alert.AlertJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingMailSerializerTest {
    private static PendingMail fixture() {
        return new PendingMail(List.of("security@example.org"), MailFixtures.group(MailFixtures.jane(1_000_000L)));
    }

    /** The bytes release 0.1 wrote for {@link #fixture()} (PendingMailSerializer version 1, at b359087). */
    @Test
    void aPendingMailOfVersion1IsReadWithTheFieldsItHad() throws Exception {
        byte[] v1 = Files.readAllBytes(Path.of("src/test/resources/state/pending-mail-v1.bin"));
        PendingMail read = new PendingMailSerializer().deserialize(1, v1);
        PendingMail expected = fixture();
        assertThat(read.to).isEqualTo(expected.to);
        assertThat(read.groups).hasSize(1);
        Alert got = read.groups.get(0).alerts.get(0);
        Alert want = expected.groups.get(0).alerts.get(0);
        assertThat(got.repeatKey).as("a field added after version 1").isNull();
        assertThat(got.group).as("a field added after version 1").isNull();
        got.repeatKey = want.repeatKey;
        assertThat(AlertJson.toJson(got)).isEqualTo(AlertJson.toJson(want));
        assertThat(read.groups.get(0).user).isEqualTo(expected.groups.get(0).user);
        assertThat(read.groups.get(0).windowEnd).isEqualTo(expected.groups.get(0).windowEnd);
    }

    @Test
    void theCurrentVersionRoundTrips() throws Exception {
        PendingMailSerializer s = new PendingMailSerializer();
        PendingMail mail = fixture();
        PendingMail back = s.deserialize(s.getVersion(), s.serialize(mail));
        assertThat(AlertJson.toJson(back.groups.get(0).alerts.get(0))).isEqualTo(AlertJson.toJson(mail.groups.get(0).alerts.get(0)));
        assertThat(back.groups.get(0).alerts.get(0).repeatKey).isNotNull();
    }
}
