package io.surprisal.cep;

import io.surprisal.alert.Alert;
import io.surprisal.event.Event;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.cep.functions.PatternProcessFunction;
import org.apache.flink.cep.nfa.ComputationState;
import org.apache.flink.cep.nfa.NFAState;
import org.apache.flink.cep.nfa.NFAStateSerializer;
import org.apache.flink.cep.nfa.aftermatch.AfterMatchSkipStrategy;
import org.apache.flink.cep.nfa.compiler.NFACompiler;
import org.apache.flink.cep.operator.CepOperator;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.util.OutputTag;

/**
 * Flink's event-time CEP operator, plus one thing it lacks: a key whose partial matches have all
 * timed out keeps its NFA state (the start state) forever in the stock operator, one entry per user
 * or IP ever seen. After each timer, when the NFA holds nothing but start states, this operator
 * clears that entry; the key's next event starts from a fresh NFA, which behaves exactly as the
 * start-only one would.
 *
 * <p>The state name is the stock operator's ({@code nfaStateName}): asking the keyed backend for a
 * state by its name returns the very state the operator uses.
 */
public class ExpiringCepOperator extends CepOperator<Event, String, Alert> {
    private static final long serialVersionUID = 1L;

    private static final String NFA_STATE_NAME = "nfaStateName";

    private transient ValueState<NFAState> nfaState;

    public ExpiringCepOperator(
            TypeSerializer<Event> serializer,
            NFACompiler.NFAFactory<Event> nfaFactory,
            AfterMatchSkipStrategy skipStrategy,
            PatternProcessFunction<Event, Alert> function,
            OutputTag<Event> lateEvents) {
        super(serializer, false, nfaFactory, null, skipStrategy, function, lateEvents);
    }

    @Override
    public void open() throws Exception {
        super.open();
        nfaState = getPartitionedState(new ValueStateDescriptor<>(NFA_STATE_NAME, new NFAStateSerializer()));
    }

    @Override
    public void onEventTime(InternalTimer<String, VoidNamespace> timer) throws Exception {
        super.onEventTime(timer);
        // Events still queued (later than the watermark) need no NFA state kept for them: an NFA
        // holding only start states is the one a missing entry stands for. Not checking the queue
        // also spares a RocksDB seek per timer.
        NFAState s = nfaState.value();
        if (s != null && onlyStartStates(s)) {
            nfaState.clear();
        }
    }

    private static boolean onlyStartStates(NFAState s) {
        if (!s.getCompletedMatches().isEmpty()) {
            return false;
        }
        for (ComputationState c : s.getPartialMatches()) {
            if (c.getPreviousBufferEntry() != null) {
                return false;
            }
        }
        return true;
    }
}
