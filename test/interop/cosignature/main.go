// Command cosignature writes C2SP tlog-cosignature test vectors made by filippo.io/torchwood, an
// implementation nobody at rxledger wrote, for shared/tlog/test/cosignature.unit.test.ts:
//
//	cd test/interop/cosignature && GOTOOLCHAIN=go1.27.3 go run . > ../../../shared/tlog/test/vectors/cosignature.json
//
// Keys come from fixed seeds, so every run gives the same keys; the timestamps are the time of the
// run (torchwood signs at time.Now()), which the vectors record.
package main

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
)

type vector struct {
	Comment       string `json:"comment"`
	WitnessName   string `json:"witnessName"`
	WitnessSeed   string `json:"witnessSeedHex"`
	WitnessVkey   string `json:"witnessVkey"`
	LogVkey       string `json:"logVkey"`
	Checkpoint    string `json:"checkpoint"`
	CosignedNote  string `json:"cosignedNote"`
	Timestamp     int64  `json:"timestamp"`
	SignatureLine string `json:"signatureLine"`
}

func seed(label string) []byte {
	s := sha256.Sum256([]byte("rxledger cosignature vector " + label))
	return s[:]
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func main() {
	logKey := ed25519.NewKeyFromSeed(seed("log"))
	origin := "example.com/rxledger-test-log"
	logVkey := must(note.NewEd25519VerifierKey(origin, logKey.Public().(ed25519.PublicKey)))
	// x/mod has no constructor for a signer key from a given seed: its format is the vkey's, PRIVATE+KEY+ first.
	logVerifier := must(note.NewVerifier(logVkey))
	logSigner := fmt.Sprintf("PRIVATE+KEY+%s+%08x+%s", origin, logVerifier.KeyHash(),
		base64.StdEncoding.EncodeToString(append([]byte{1}, seed("log")...)))
	bodies := []struct{ comment, witness, text string }{
		{"plain checkpoint", "witness.example/w1",
			origin + "\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"},
		{"checkpoint of size 0 (empty tree root)", "witness.example/w2",
			origin + "\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n"},
		{"checkpoint with an extension line", "witness.example/w3",
			origin + "\n7\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\nextension line\n"},
	}
	var out []vector
	for _, b := range bodies {
		wSeed := seed(b.witness)
		wKey := ed25519.NewKeyFromSeed(wSeed)
		cosigner := must(torchwood.NewCosignatureSigner(b.witness, wKey))
		signed := must(note.Sign(&note.Note{Text: b.text}, must(note.NewSigner(logSigner)), cosigner))
		// torchwood's own verifier opens what it signed, so a vector is never a torchwood bug we copied.
		n := must(note.Open(signed, note.VerifierList(cosigner.Verifier())))
		ts := must(torchwood.CosignatureTimestamp(n.Sigs[0]))
		line := fmt.Sprintf("— %s %s\n", n.Sigs[0].Name, n.Sigs[0].Base64)
		raw := must(base64.StdEncoding.DecodeString(n.Sigs[0].Base64))
		if len(raw) != 4+8+64 {
			panic("unexpected cosignature length")
		}
		out = append(out, vector{
			Comment:       b.comment,
			WitnessName:   b.witness,
			WitnessSeed:   hex.EncodeToString(wSeed),
			WitnessVkey:   cosigner.Verifier().String(),
			LogVkey:       logVkey,
			Checkpoint:    b.text,
			CosignedNote:  string(signed),
			Timestamp:     ts,
			SignatureLine: line,
		})
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(map[string]any{
		"source":  "filippo.io/torchwood v0.10.0 (test/interop/cosignature/main.go)",
		"vectors": out,
	}); err != nil {
		panic(err)
	}
}
