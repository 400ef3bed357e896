package dev.webhookhub.support;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * A throw-away CA with a server certificate (127.0.0.1 / localhost) and client certificates, made in the test, as
 * {@code docker-machine} or the Docker docs' openssl steps make them. {@link #writeClientDir} lays them out as
 * DOCKER_CERT_PATH holds them (ca.pem, cert.pem, key.pem), the key in the PEM form asked for.
 */
public final class TestCerts {

    /** How key.pem is written (PKCS#1 holds an RSA key, the others an EC P-256 key). */
    public enum KeyFormat { PKCS8, PKCS1_RSA, SEC1_EC }

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final KeyPair serverKeys;
    private final X509Certificate server;
    private long serial = 2;

    private TestCerts(String name) throws GeneralSecurityException, IOException {
        // EC keys where the form does not matter (much faster to make than RSA on a busy machine)
        caKeys = ec();
        ca = sign(new X500Name("CN=" + name), caKeys, caKeys.getPublic(), new X500Name("CN=" + name), true, null);
        serverKeys = ec();
        server = sign(new X500Name("CN=127.0.0.1"), serverKeys, null, null, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost") }));
    }

    public static TestCerts create(String caName) {
        try {
            return new TestCerts(caName);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The daemon side: its certificate, and client certificates must chain to this CA. */
    public SSLContext serverContext() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("server", serverKeys.getPrivate(), new char[0], new X509Certificate[] { server, ca });
            KeyStore ts = KeyStore.getInstance("PKCS12");
            ts.load(null, null);
            ts.setCertificateEntry("ca", ca);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, new char[0]);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ts);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes ca.pem, cert.pem (a new client certificate of this CA) and key.pem in {@code dir}. */
    public Path writeClientDir(Path dir, KeyFormat format) {
        try {
            Files.createDirectories(dir);
            KeyPair keys = format == KeyFormat.PKCS1_RSA ? rsa() : ec();
            X509Certificate client = sign(new X500Name("CN=client"), keys, null, null, false, null);
            Files.writeString(dir.resolve("ca.pem"), pem(ca));
            Files.writeString(dir.resolve("cert.pem"), pem(client));
            Files.writeString(dir.resolve("key.pem"), switch (format) {
                case PKCS8 -> pem(new JcaPKCS8Generator(keys.getPrivate(), null));
                case PKCS1_RSA -> pem(keys.getPrivate());
                // as openssl writes it: the curve named in the key's parameters
                case SEC1_EC -> pem(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256,
                        ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS(),
                        SECObjectIdentifiers.secp256r1).getEncoded()));
            });
            return dir;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private X509Certificate sign(X500Name subject, KeyPair subjectKeys, java.security.PublicKey selfSigned,
            X500Name issuerOverride, boolean isCa, GeneralNames san) throws GeneralSecurityException, IOException {
        Instant now = Instant.now();
        X500Name issuer = issuerOverride != null ? issuerOverride
                : X500Name.getInstance(ca.getSubjectX500Principal().getEncoded());
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial++),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))), subject,
                subjectKeys.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(isCa));
        if (isCa) {
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        }
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        PrivateKey signer = selfSigned != null ? subjectKeys.getPrivate() : caKeys.getPrivate();
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }
}
