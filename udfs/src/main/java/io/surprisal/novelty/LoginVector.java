package io.surprisal.novelty;

/**
 * A login's feature vector ({@link LoginFeatures}), as login novelty emits it (side output {@code
 * login-vectors}) when {@code novelty.emit-vectors} is on. A Flink POJO: public fields, a
 * no-argument constructor. Its JSON line is documented in docs/login-vectors.md.
 */
public class LoginVector {
    public String user;
    /** The event's tenant, or null. */
    public String tenant;
    /** The session id the login carried, or null. */
    public String session;
    /** The login's event time (epoch ms). */
    public long ts;
    /** By {@link LoginFeatures#NAMES}. */
    public double[] features;

    public LoginVector() {}

    public LoginVector(String user, String tenant, String session, long ts, double[] features) {
        this.user = user;
        this.tenant = tenant;
        this.session = session;
        this.ts = ts;
        this.features = features;
    }
}
