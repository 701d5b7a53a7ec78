package io.surprisal.classifier;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxMap;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import java.util.List;
import java.util.Map;

/**
 * An ONNX model scored with ONNX Runtime: one float input of shape [rows, features], and either a
 * float tensor of probabilities [rows, classes] (Tribuo's export; scikit-learn's through skl2onnx
 * with {@code zipmap=False}) or a sequence of maps from class to probability (skl2onnx's default
 * ZipMap), where the malicious class is the key equal to the card's {@code positive_index}.
 *
 * <p>The only class that touches ONNX Runtime: the job loads it only when a model is configured, so
 * ONNX Runtime need not be on a cluster's class path otherwise. One thread per session: the
 * operator's own thread, as any other detector.
 */
final class OnnxClassifier implements Classifier {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;
    private final String output;
    private final boolean zipMap;
    private final int positive;

    OnnxClassifier(byte[] onnx, ModelCard card) {
        try {
            env = OrtEnvironment.getEnvironment();
            try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
                options.setIntraOpNumThreads(1);
                options.setInterOpNumThreads(1);
                session = env.createSession(onnx, options);
            }
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            throw new ModelException("model " + card.name() + ": ONNX Runtime cannot load it: " + e.getMessage(), e);
        }
        try {
            input = card.input() != null ? card.input() : onlyInput(card);
            NodeInfo in = session.getInputInfo().get(input);
            if (in == null) {
                throw new ModelException("model " + card.name() + " has no input " + input + " (it has " + session.getInputNames() + ")");
            }
            if (in.getInfo() instanceof TensorInfo t) {
                long[] shape = t.getShape();
                if (t.type != OnnxJavaType.FLOAT || shape.length != 2) {
                    throw new ModelException("model " + card.name() + ": input " + input + " must be float [rows, features], is "
                            + t.type + " " + java.util.Arrays.toString(shape));
                }
                if (shape[1] > 0 && shape[1] != card.features().size()) {
                    throw new ModelException("model " + card.name() + ": its input takes " + shape[1] + " features, its card names "
                            + card.features().size());
                }
            }
            output = card.output() != null ? card.output() : probabilitiesOutput(card);
            NodeInfo out = session.getOutputInfo().get(output);
            if (out == null) {
                throw new ModelException("model " + card.name() + " has no output " + output + " (it has " + session.getOutputNames() + ")");
            }
            zipMap = out.getInfo() instanceof SequenceInfo;
            positive = card.positiveIndex();
        } catch (OrtException e) {
            close();
            throw new ModelException("model " + card.name() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private String onlyInput(ModelCard card) throws OrtException {
        if (session.getNumInputs() != 1) {
            throw new ModelException("model " + card.name() + " has inputs " + session.getInputNames() + ": name one as the card's input");
        }
        return session.getInputNames().iterator().next();
    }

    /** The first output that is a float tensor [rows, classes] or a sequence of maps (ZipMap). */
    private String probabilitiesOutput(ModelCard card) throws OrtException {
        for (Map.Entry<String, NodeInfo> o : session.getOutputInfo().entrySet()) {
            if (o.getValue().getInfo() instanceof TensorInfo t && t.type == OnnxJavaType.FLOAT && t.getShape().length == 2) {
                return o.getKey();
            }
            if (o.getValue().getInfo() instanceof SequenceInfo s && s.sequenceOfMaps) {
                return o.getKey();
            }
        }
        throw new ModelException("model " + card.name() + " has no output of probabilities among " + session.getOutputNames()
                + ": name it as the card's output");
    }

    @Override
    public double probability(float[] row) {
        return probabilities(new float[][] {row})[0];
    }

    @Override
    public double[] probabilities(float[][] rows) {
        try (OnnxTensor t = OnnxTensor.createTensor(env, rows);
                OrtSession.Result r = session.run(Map.of(input, t), java.util.Set.of(output))) {
            OnnxValue v = r.get(output).orElseThrow(() -> new ModelException("model gave no output " + output));
            double[] p = new double[rows.length];
            if (zipMap) {
                List<? extends OnnxValue> maps = ((OnnxSequence) v).getValue();
                for (int i = 0; i < p.length; i++) {
                    Map<?, ?> m = ((OnnxMap) maps.get(i)).getValue();
                    p[i] = probabilityOf(m);
                }
            } else {
                float[][] probs = (float[][]) ((OnnxTensor) v).getValue();
                for (int i = 0; i < p.length; i++) {
                    p[i] = probs[i][positive];
                }
            }
            return p;
        } catch (OrtException e) {
            throw new ModelException("model failed to score: " + e.getMessage(), e);
        }
    }

    private double probabilityOf(Map<?, ?> m) {
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (String.valueOf(e.getKey()).equals(String.valueOf(positive))) {
                return ((Number) e.getValue()).doubleValue();
            }
        }
        throw new ModelException("model's probabilities name no class " + positive + " (they name " + m.keySet() + ")");
    }

    @Override
    public void close() {
        try {
            if (session != null) {
                session.close();
            }
        } catch (OrtException e) {
            // Closing frees native memory; nothing else to do if it fails.
        }
    }
}
