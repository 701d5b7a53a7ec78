package io.surprisal.tools.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.surprisal.sim.World;
import java.util.List;
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
            assertThat(generate).as("generate --world").contains(name);
        }
        for (World extra : World.EXTRAS) {
            assertThat(eval).as("eval --worlds").contains(extra.name());
        }
    }
}
