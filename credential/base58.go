package credential

import (
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

var base58Index = func() [256]int8 {
	var t [256]int8
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(base58Alphabet); i++ {
		t[base58Alphabet[i]] = int8(i)
	}
	return t
}()

// maxBase58Len bounds the input of base58Decode (keys and signatures are
// far shorter), keeping the quadratic algorithm cheap on hostile input.
const maxBase58Len = 1024

// base58Decode decodes Bitcoin-alphabet base58 (as used by multibase 'z').
func base58Decode(s string) ([]byte, error) {
	if len(s) > maxBase58Len {
		return nil, fmt.Errorf("base58 value of %d characters is too long", len(s))
	}
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	// Big-endian byte accumulator: out = out*58 + digit.
	out := make([]byte, 0, len(s))
	for i := zeros; i < len(s); i++ {
		d := base58Index[s[i]]
		if d < 0 {
			return nil, fmt.Errorf("character %q at position %d is not base58", s[i], i)
		}
		carry := int(d)
		for j := len(out) - 1; j >= 0; j-- {
			carry += int(out[j]) * 58
			out[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			out = append([]byte{byte(carry)}, out...)
			carry >>= 8
		}
	}
	return append(make([]byte, zeros), out...), nil
}

// base58Encode encodes bytes in the Bitcoin base58 alphabet.
func base58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	n := new(big.Int).SetBytes(b)
	var out []byte
	mod := new(big.Int)
	base := big.NewInt(58)
	for n.Sign() > 0 {
		n.DivMod(n, base, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for range zeros {
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// multibaseDecode decodes a multibase string; only base58btc ('z') and
// base64url ('u') are accepted, which are the ones credentials use.
func multibaseDecode(s string) ([]byte, error) {
	if s == "" {
		return nil, errors.New("empty multibase value")
	}
	switch s[0] {
	case 'z':
		return base58Decode(s[1:])
	case 'u':
		return b64url(s[1:])
	}
	return nil, fmt.Errorf("multibase prefix %q is not supported (expected 'z' base58btc or 'u' base64url)", s[0])
}

// b64url decodes unpadded (or padded) base64url.
func b64url(s string) ([]byte, error) {
	return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
}

func b64urlEncode(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
