package io.surprisal.job;

import java.util.Collection;
import org.apache.flink.state.rocksdb.RocksDBOptionsFactory;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Env;
import org.rocksdb.Priority;

/**
 * RocksDB options for what stalls a task at a checkpoint. The synchronous part of an incremental
 * checkpoint is RocksDB's native checkpoint, which flushes the memtable of every column family
 * that was written since the last one and waits for it; the task processes nothing meanwhile.
 *
 * <ul>
 *   <li>Atomic flush: the column families of one operator are flushed in one flush job, with one
 *       manifest write and sync, not one job, manifest write and sync per column family (a CEP
 *       operator has five).
 *   <li>Flush threads: RocksDB runs flushes on a process-wide pool of one thread by default, shared
 *       by every operator of every slot, so the slots' checkpoints queued their flushes behind each
 *       other. A few threads let them overlap; a flush mostly waits for the disk.
 * </ul>
 *
 * Named by Flink's {@code state.backend.rocksdb.options-factory} (conf/flink/config.yaml, the
 * FlinkDeployment), applied after the predefined options.
 */
public class RocksDbCheckpointFlushes implements RocksDBOptionsFactory {
    /** Threads of RocksDB's high-priority (flush) pool. */
    static final int FLUSH_THREADS = 4;

    @Override
    public DBOptions createDBOptions(DBOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        // The pool belongs to the process-wide default Env; setting it again is a no-op.
        Env.getDefault().setBackgroundThreads(FLUSH_THREADS, Priority.HIGH);
        return currentOptions.setAtomicFlush(true);
    }

    @Override
    public ColumnFamilyOptions createColumnOptions(ColumnFamilyOptions currentOptions, Collection<AutoCloseable> handlesToClose) {
        return currentOptions;
    }
}
