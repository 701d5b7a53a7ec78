package io.surprisal.tools.groups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.surprisal.groups.UserGroup;
import io.surprisal.sim.UserLabel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GroupsReportTest {
    private static final long BUYERS = (1L << 16);
    private static final long FRAUDSTERS = (2L << 16);

    private final Map<String, UserGroup> users = new HashMap<>();
    private final Map<String, UserLabel> labels = new HashMap<>();

    private void user(String name, String type, long group) {
        UserGroup u = new UserGroup();
        u.group = group;
        users.put(name, u);
        labels.put(name, new UserLabel(name, type, "none", ""));
    }

    @Test
    void untypedUsersCountAsMissesInTheHeadlinePurity() {
        for (int i = 0; i < 9; i++) {
            user("b" + i, "buyer", BUYERS);
        }
        user("f0", "fraudster", FRAUDSTERS);
        user("f1", "fraudster", FRAUDSTERS);
        user("f2", "fraudster", BUYERS); // a fraudster in the buyers' group
        user("f3", "fraudster", UserGroup.NONE);
        user("f4", "fraudster", UserGroup.NONE);

        GroupsReport rep = GroupsReport.of(new GroupsReplay.Result(users, List.of(), List.of()), labels);

        GroupsReport.TypeRow fraud = row(rep, "fraudster");
        assertThat(fraud.users()).isEqualTo(5);
        assertThat(fraud.untyped()).isEqualTo(2);
        assertThat(fraud.typed()).isCloseTo(3 / 5.0, within(1e-9));
        // Its group holds only fraudsters: clean among the typed, but two of four judged are untyped.
        assertThat(fraud.typedPurity()).isCloseTo(1.0, within(1e-9));
        assertThat(fraud.purity()).isCloseTo(2 / 4.0, within(1e-9));
        assertThat(fraud.coverage()).isCloseTo(2 / 3.0, within(1e-9));

        GroupsReport.TypeRow buyer = row(rep, "buyer");
        assertThat(buyer.typedPurity()).isCloseTo(9 / 10.0, within(1e-9));
        assertThat(buyer.purity()).isCloseTo(9 / 10.0, within(1e-9));
        assertThat(rep.cell("fraudster")).isEqualTo("0.500 (3/5)");
        assertThat(rep.cell("bot")).isEqualTo("-");
        assertThat(rep.toTable()).contains("purity of typed");
    }

    private static GroupsReport.TypeRow row(GroupsReport rep, String type) {
        return rep.rows().stream().filter(r -> r.type().equals(type)).findFirst().orElseThrow();
    }
}
