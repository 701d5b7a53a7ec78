package io.surprisal.tools.train;

/** Confusion counts at a probability threshold, malicious the positive class. */
public final class Confusion {
    long tp;
    long fp;
    long fn;
    long tn;

    void add(boolean malicious, boolean flagged) {
        if (malicious) {
            if (flagged) {
                tp++;
            } else {
                fn++;
            }
        } else if (flagged) {
            fp++;
        } else {
            tn++;
        }
    }

    void add(Confusion o) {
        tp += o.tp;
        fp += o.fp;
        fn += o.fn;
        tn += o.tn;
    }

    public double precision() {
        return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
    }

    public double recall() {
        return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
    }

    public double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
