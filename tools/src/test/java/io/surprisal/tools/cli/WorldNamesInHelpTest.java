package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.sim.World;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The help of {@code generate --world} and {@code eval --worlds} names every world there is. */
class WorldNamesInHelpTest {
    @Test
    void everyWorldIsNamedInTheHelpOfTheOptionsThatTakeOne() {
        List<String> names = Stream.concat(World.PRESETS.stream(), World.EXTRAS.stream()).map(World::name).toList();
        String generate = String.join(" ", new CommandLine(new GenerateCommand()).getCommandSpec().findOption("--world").description());
        String eval = String.join(" ", new CommandLine(new EvalCommand()).getCommandSpec().findOption("--worlds").description());
        for (String name : names) {
            assertThat(named(generate, name)).as("generate --world names %s", name).isTrue();
        }
        for (World extra : World.EXTRAS) {
            assertThat(named(eval, extra.name())).as("eval --worlds names %s", extra.name()).isTrue();
        }
        assertThat(named("default, mobile-heavy, many-new", "heavy")).as("a whole name, not part of one").isFalse();
    }

    /** Whether {@code help} names {@code world} as a whole word (heavy is not mobile-heavy). */
    private static boolean named(String help, String world) {
        return Pattern.compile("(?<![\\w-])" + Pattern.quote(world) + "(?![\\w-])").matcher(help).find();
    }
}
