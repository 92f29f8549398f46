package credential

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// plainPNG is a small PNG with no badge in it.
func plainPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	img.Set(0, 0, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// insertChunk puts a raw chunk just before IEND (to build legacy and
// malformed images that BakePNG would not write).
func insertChunk(t testing.TB, img []byte, typ string, data []byte, crcOK bool) []byte {
	t.Helper()
	i := bytes.LastIndex(img, []byte("IEND")) - 4
	var ch bytes.Buffer
	_ = binary.Write(&ch, binary.BigEndian, uint32(len(data)))
	ch.WriteString(typ)
	ch.Write(data)
	crc := crc32.ChecksumIEEE(append([]byte(typ), data...))
	if !crcOK {
		crc++
	}
	_ = binary.Write(&ch, binary.BigEndian, crc)
	out := append([]byte{}, img[:i]...)
	out = append(out, ch.Bytes()...)
	return append(out, img[i:]...)
}

// signedOB3 returns a signed OB 3.0 credential issued by a fresh did:key.
func signedOB3(t testing.TB) []byte {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(bytes.ReplaceAll(readFixture(t, "baked/ob3-unsigned.json"), []byte("ISSUER"), []byte(DIDKeyFromPublic(pub))), &doc); err != nil {
		t.Fatal(err)
	}
	signed, err := SignDataIntegrity(doc, priv, DIDKeyVerificationMethod(pub), time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(signed)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBakedImages(t *testing.T) {
	k := testOB2Keys(t)
	w := issuerWeb(t)
	hosted := readFixture(t, "ob2/assertion-hosted.json")
	jws := signJWS(t, "RS256", k.rsa, readFixture(t, "ob2/assertion-signed.json"))
	ob3 := signedOB3(t)
	pngBase := plainPNG(t)
	svgBase := readFixture(t, "baked/plain.svg")
	bake := func(f func([]byte, []byte, bool) ([]byte, error), base, payload []byte, v3 bool) []byte {
		out, err := f(base, payload, v3)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	var compressed bytes.Buffer
	zw := zlib.NewWriter(&compressed)
	_, _ = zw.Write(hosted)
	_ = zw.Close()
	tests := []struct {
		name    string
		img     []byte
		version int
		format  Format
		want    Status
	}{
		{name: "PNG 2.0 hosted JSON", img: bake(BakePNG, pngBase, hosted, false), version: 2, format: FormatOB2, want: StatusValid},
		{name: "PNG 2.0 signed JWS", img: bake(BakePNG, pngBase, jws, false), version: 2, format: FormatOB2, want: StatusValid},
		{name: "PNG 3.0 OpenBadgeCredential", img: bake(BakePNG, pngBase, ob3, true), version: 3, format: FormatOB3, want: StatusValid},
		{name: "PNG legacy tEXt URL", img: insertChunk(t, pngBase, "tEXt", []byte("openbadges\x00https://issuer.example.com/assertions/1"), true), version: 1, format: FormatOB2, want: StatusValid},
		{name: "PNG compressed iTXt", img: insertChunk(t, pngBase, "iTXt", append([]byte("openbadges\x00\x01\x00\x00\x00"), compressed.Bytes()...), true), version: 2, format: FormatOB2, want: StatusValid},
		{name: "SVG 2.0 CDATA", img: bake(BakeSVG, svgBase, hosted, false), version: 2, format: FormatOB2, want: StatusValid},
		{name: "SVG 2.0 signed in verify", img: bake(BakeSVG, svgBase, jws, false), version: 2, format: FormatOB2, want: StatusValid},
		{name: "SVG 2.0 hosted URL in verify", img: readFixture(t, "baked/baked-hosted-url.svg"), version: 2, format: FormatOB2, want: StatusValid},
		{name: "SVG other namespace prefix", img: readFixture(t, "baked/baked-other-prefix.svg"), version: 2, format: FormatOB2, want: StatusValid},
		{name: "SVG 3.0 CDATA", img: bake(BakeSVG, svgBase, ob3, true), version: 3, format: FormatOB3, want: StatusValid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := Unbake(tc.img)
			if err != nil {
				t.Fatal(err)
			}
			if b.Version != tc.version {
				t.Errorf("version %d, want %d", b.Version, tc.version)
			}
			c, err := Parse(tc.img)
			if err != nil {
				t.Fatal(err)
			}
			if c.Format != tc.format {
				t.Errorf("format %q, want %q", c.Format, tc.format)
			}
			if !bytes.Equal(c.Image, tc.img) || !bytes.Equal(c.Raw, tc.img) {
				t.Error("the image is not kept in Image and Raw")
			}
			res := (&Verifier{HTTPClient: w.client, Now: ob2Now, Recipient: "alice@example.org"}).Verify(context.Background(), c)
			if res.Status != tc.want {
				t.Errorf("status %s, want %s:\n%s", res.Status, tc.want, detailText(res))
			}
			if c.Achievement.Name == "" {
				t.Error("no achievement name after verification")
			}
			if _, err := png.Decode(bytes.NewReader(tc.img)); bakedIsPNG(tc.img) && err != nil {
				t.Errorf("the baked PNG no longer decodes as an image: %v", err)
			}
		})
	}
}

func TestBakedErrors(t *testing.T) {
	pngBase := plainPNG(t)
	hosted := readFixture(t, "ob2/assertion-hosted.json")
	twice := insertChunk(t, mustBake(t, BakePNG, pngBase, hosted, false), "iTXt", []byte("openbadgecredential\x00\x00\x00\x00\x00{}"), true)
	tests := []struct {
		name    string
		img     []byte
		notCred bool
		want    string
	}{
		{name: "PNG without badge", img: pngBase, notCred: true, want: "without a baked badge"},
		{name: "SVG without badge", img: readFixture(t, "baked/plain.svg"), notCred: true, want: "without a baked badge"},
		{name: "PNG bad CRC", img: insertChunk(t, pngBase, "iTXt", append([]byte("openbadges\x00\x00\x00\x00\x00"), hosted...), false), want: "CRC"},
		{name: "PNG two badges", img: twice, want: "2 baked badges"},
		{name: "SVG two badges", img: readFixture(t, "baked/two-badges.svg"), want: "2 baked badges"},
		{name: "PNG truncated", img: pngBase[:len(pngBase)-20], want: "beyond the end of the file"},
		{name: "PNG baked garbage", img: mustBake(t, BakePNG, pngBase, []byte("hello there"), false), notCred: true, want: "baked into the PNG"},
		{name: "SVG not closed", img: []byte(`<svg xmlns:openbadges="http://openbadges.org"><openbadges:assertion>{`), want: "is not closed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.img)
			if err == nil {
				t.Fatal("Parse succeeded")
			}
			if errors.Is(err, ErrNotCredential) != tc.notCred {
				t.Errorf("errors.Is(ErrNotCredential) = %v, want %v: %v", !tc.notCred, tc.notCred, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not mention %q", err, tc.want)
			}
		})
	}
}

func mustBake(t testing.TB, f func([]byte, []byte, bool) ([]byte, error), base, payload []byte, v3 bool) []byte {
	t.Helper()
	out, err := f(base, payload, v3)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRebakeReplaces(t *testing.T) {
	a := readFixture(t, "ob2/assertion-hosted.json")
	b := readFixture(t, "ob2/assertion-md5.json")
	for name, f := range map[string]func([]byte, []byte, bool) ([]byte, error){"png": BakePNG, "svg": BakeSVG} {
		base := plainPNG(t)
		if name == "svg" {
			base = readFixture(t, "baked/plain.svg")
		}
		once := mustBake(t, f, base, a, false)
		again := mustBake(t, f, once, b, false)
		got, err := Unbake(again)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.Equal(got.Payload, bytes.TrimSpace(b)) {
			t.Errorf("%s: rebaking kept the old payload", name)
		}
		if name == "svg" && bytes.Count(again, []byte(`xmlns:openbadges=`)) != 1 {
			t.Errorf("svg: namespace declared %d times", bytes.Count(again, []byte(`xmlns:openbadges=`)))
		}
	}
	// A payload containing the CDATA terminator survives.
	tricky := []byte(`{"@context":"https://w3id.org/openbadges/v2","note":"a]]>b"}`)
	out := mustBake(t, BakeSVG, readFixture(t, "baked/plain.svg"), tricky, false)
	got, err := Unbake(out)
	if err != nil || !bytes.Equal(got.Payload, tricky) {
		t.Errorf("CDATA terminator: %q, %v", got.Payload, err)
	}
}

func FuzzUnbakePNG(f *testing.F) {
	base := plainPNG(f)
	f.Add(base)
	f.Add(mustBake(f, BakePNG, base, readFixture(f, "ob2/assertion-hosted.json"), false))
	f.Add(insertChunk(f, base, "tEXt", []byte("openbadges\x00https://issuer.example.com/assertions/1"), true))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Unbake(data)
		if err == nil && len(b.Payload) == 0 {
			t.Fatal("unbaked an empty payload without error")
		}
		if err == nil {
			if _, err := BakePNG(data, b.Payload, b.Version == 3); err != nil && bakedIsPNG(data) {
				t.Fatalf("cannot rebake what was unbaked: %v", err)
			}
		}
	})
}

func FuzzUnbakeSVG(f *testing.F) {
	for _, name := range []string{"plain.svg", "baked-hosted-url.svg", "baked-other-prefix.svg", "two-badges.svg"} {
		b, err := os.ReadFile(filepath.Join("testdata", "baked", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bakedIsSVG(data) {
			return
		}
		b, err := Unbake(data)
		if err == nil && len(b.Payload) == 0 {
			t.Fatal("unbaked an empty payload without error")
		}
	})
}
