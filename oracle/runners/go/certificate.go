package main

// generateCertificate: the keygen algorithms Go's crypto can make and Pion can sign with (Pion's NewCertificate
// signs ECDSA keys with ECDSAWithSHA256 and RSA keys with SHA256WithRSA). Pion has no WebCrypto algorithm
// parser: any other algorithm is an argument its API cannot express.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	webrtc "github.com/pion/webrtc"
)

const (
	minRSABits = 1024
	maxRSABits = 8192
	maxSafeInt = 1<<53 - 1
)

// keygen: what generateCertificate(keygenAlgorithm) asks of Go's crypto.
type keygen struct {
	rsaBits int // 0: ECDSA P-256
	expires *time.Duration
}

func toKeygen(v interface{}) (keygen, error) {
	var k keygen
	m, ok := v.(map[string]interface{})
	if !ok {
		return k, cannot("a keygenAlgorithm that is %s (Go's crypto needs the algorithm's parameters)", describe(v))
	}
	if x := member(m, "expires"); !isUndefined(x) {
		n, ok := x.(json.Number)
		f, err := strconv.ParseFloat(string(n), 64)
		if !ok || err != nil || f != math.Trunc(f) || f < 0 || f > maxSafeInt {
			return k, cannot("expires as %s (a whole number of milliseconds becomes the certificate's NotAfter)", describe(x))
		}
		d := time.Duration(math.Min(f, float64(math.MaxInt64/int64(time.Millisecond)))) * time.Millisecond
		k.expires = &d
	}
	name, _ := member(m, "name").(string)
	switch {
	case strings.EqualFold(name, "ECDSA"):
		if member(m, "namedCurve") != "P-256" {
			return k, cannot("ECDSA with namedCurve %s (the runner makes P-256 keys only)", describe(member(m, "namedCurve")))
		}
		return k, nil
	case strings.EqualFold(name, "RSASSA-PKCS1-v1_5"):
		hash := member(m, "hash")
		if hm, ok := hash.(map[string]interface{}); ok {
			hash = member(hm, "name")
		}
		if h, ok := hash.(string); !ok || !strings.EqualFold(h, "SHA-256") {
			return k, cannot("RSASSA-PKCS1-v1_5 with hash %s (Pion signs RSA certificates with SHA-256)", describe(hash))
		}
		if !isPublicExponent65537(member(m, "publicExponent")) {
			return k, cannot("an RSA publicExponent other than [1, 0, 1] (Go's rsa.GenerateKey uses 65537)")
		}
		n, ok := member(m, "modulusLength").(json.Number)
		bits, err := strconv.Atoi(string(n))
		if !ok || err != nil || bits < minRSABits || bits > maxRSABits {
			return k, cannot("modulusLength %s (the runner makes RSA keys of %d to %d bits)", describe(member(m, "modulusLength")), minRSABits, maxRSABits)
		}
		k.rsaBits = bits
		return k, nil
	}
	return k, cannot("the keygen algorithm %s (the runner makes ECDSA P-256 and RSASSA-PKCS1-v1_5 keys)", describe(member(m, "name")))
}

// isPublicExponent65537: the BigInteger [1, 0, 1] (leading zero bytes allowed).
func isPublicExponent65537(v interface{}) bool {
	list, ok := v.([]interface{})
	if !ok {
		return false
	}
	value := new(big.Int)
	for _, b := range list {
		n, ok := b.(json.Number)
		i, err := strconv.Atoi(string(n))
		if !ok || err != nil || i < 0 || i > 255 {
			return false
		}
		value.Lsh(value, 8).Or(value, big.NewInt(int64(i)))
	}
	return value.Cmp(big.NewInt(65537)) == 0
}

// makeKey: a private key from Go's crypto; an error here is the runner's, not Pion's.
func (k keygen) makeKey() (crypto.PrivateKey, error) {
	if k.rsaBits > 0 {
		return rsa.GenerateKey(rand.Reader, k.rsaBits)
	}
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

// certificate: Pion's GenerateCertificate, or with expires Pion's NewCertificate with GenerateCertificate's
// template but that NotAfter.
func (k keygen) certificate(key crypto.PrivateKey) (*webrtc.Certificate, error) {
	if k.expires == nil {
		return webrtc.GenerateCertificate(key)
	}
	limit := new(big.Int).Lsh(big.NewInt(1), 130)
	serial, err := rand.Int(rand.Reader, limit)
	if err != nil {
		return nil, harness("making a serial number failed: %v", err)
	}
	now := time.Now()
	return webrtc.NewCertificate(key, x509.Certificate{
		Issuer:       pkix.Name{CommonName: "WebRTC"},
		NotBefore:    now.AddDate(0, 0, -1),
		NotAfter:     now.Add(*k.expires),
		SerialNumber: serial,
		Version:      2,
		Subject:      pkix.Name{CommonName: "WebRTC"},
	})
}
