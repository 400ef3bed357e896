package dev.webhookhub.deploy;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * The client's TLS context for the Docker daemon, read as the docker CLI reads it: {@code DOCKER_CERT_PATH} (default
 * {@code ~/.docker}) holds {@code ca.pem} (the CA the daemon's certificate must chain to), {@code cert.pem} (the
 * client certificate) and {@code key.pem} (its key: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted).
 */
public final class DockerTls {

    private DockerTls() {
    }

    /** Whether a DOCKER_TLS_VERIFY value turns TLS on (any value but empty, 0 and false, as the CLI reads it). */
    public static boolean enabled(String tlsVerify) {
        return tlsVerify != null && !tlsVerify.isBlank() && !tlsVerify.strip().equals("0")
                && !tlsVerify.strip().equalsIgnoreCase("false");
    }

    /** The directory to read: DOCKER_CERT_PATH, or ~/.docker. */
    public static Path certPath(String configured) {
        return configured == null || configured.isBlank() ? Path.of(System.getProperty("user.home"), ".docker")
                : Path.of(configured);
    }

    /** An SSLContext trusting ca.pem and presenting cert.pem/key.pem; a clear IOException naming a missing file. */
    public static SSLContext context(Path certPath) throws IOException {
        Path ca = need(certPath.resolve("ca.pem"));
        Path cert = need(certPath.resolve("cert.pem"));
        Path key = need(certPath.resolve("key.pem"));
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (Certificate c : certificates(cf, ca)) {
                trust.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IOException(ca + " holds no certificate");
            }
            List<Certificate> chain = new ArrayList<>(certificates(cf, cert));
            if (chain.isEmpty()) {
                throw new IOException(cert + " holds no certificate");
            }
            char[] pass = new char[0];
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("client", privateKey(key), pass, chain.toArray(new Certificate[0]));
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the Docker TLS files in " + certPath + ": " + e.getMessage(), e);
        }
    }

    /** Reads an unencrypted PEM private key: PKCS#8 ("PRIVATE KEY"), PKCS#1 ("RSA PRIVATE KEY"), SEC1 ("EC ..."). */
    static PrivateKey privateKey(Path pem) throws IOException {
        try (Reader r = Files.newBufferedReader(pem, StandardCharsets.US_ASCII); PEMParser parser = new PEMParser(r)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
            }
        }
        throw new IOException(pem + " holds no unencrypted private key (PKCS#8, PKCS#1 RSA or SEC1 EC)");
    }

    private static Collection<? extends Certificate> certificates(CertificateFactory cf, Path pem)
            throws IOException, GeneralSecurityException {
        try (var in = Files.newInputStream(pem)) {
            return cf.generateCertificates(in);
        }
    }

    private static Path need(Path p) throws IOException {
        if (!Files.isReadable(p)) {
            throw new IOException("DOCKER_TLS_VERIFY is set but " + p + " cannot be read (DOCKER_CERT_PATH)");
        }
        return p;
    }
}
