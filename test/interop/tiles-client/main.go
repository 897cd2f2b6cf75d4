// Command tiles-client reads an rxledger node through its C2SP tlog-tiles API with a tiles client
// nobody at rxledger wrote (filippo.io/torchwood over golang.org/x/mod/sumdb/tlog), and prints its
// verdict as one JSON line. test/tiles-interop.int.test.ts builds and runs it.
//
//	tiles-client verify -url http://127.0.0.1:7100 -vkey <C2SP vkey> -index 300 [-earlier 200]
//	tiles-client vectors   # tile paths, tiles and bundles as Go writes them, for the unit tests
package main

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"filippo.io/torchwood"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	if len(os.Args) < 2 {
		fail(errors.New("usage: tiles-client verify|vectors [flags]"))
	}
	var out any
	var err error
	switch os.Args[1] {
	case "verify":
		out, err = verify(os.Args[2:])
	case "vectors":
		out, err = vectors()
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}

func fail(err error) {
	json.NewEncoder(os.Stdout).Encode(map[string]any{"ok": false, "error": err.Error()})
	os.Exit(1)
}

type verdict struct {
	OK        bool     `json:"ok"`
	Origin    string   `json:"origin"`
	Size      int64    `json:"size"`
	Root      string   `json:"root"`
	TilesRoot string   `json:"tilesRoot"`
	Entries   int64    `json:"entries"`
	Index     int64    `json:"index"`
	LeafHash  string   `json:"leafHash"`
	Proof     []string `json:"proof"`
	Earlier   int64    `json:"earlier,omitempty"`
}

func verify(args []string) (*verdict, error) {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	base := fs.String("url", "", "the ledger node's tlog-tiles prefix")
	vkey := fs.String("vkey", "", "the node's checkpoint key, C2SP vkey")
	index := fs.Int64("index", 0, "a leaf whose inclusion to prove")
	earlier := fs.Int64("earlier", 0, "a size signed earlier, to prove consistent with the latest (0: skip)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	verifier, err := note.NewVerifier(*vkey)
	if err != nil {
		return nil, fmt.Errorf("vkey: %w", err)
	}
	// The vkey's name is the log's origin (tlog-checkpoint): check both the signature and the origin.
	policy := torchwood.ThresholdPolicy(2, torchwood.OriginPolicy(verifier.Name()),
		torchwood.SingleVerifierPolicy(verifier))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fetcher, err := torchwood.NewTileFetcher(*base)
	if err != nil {
		return nil, err
	}
	signed, err := fetcher.ReadEndpoint(ctx, "checkpoint")
	if err != nil {
		return nil, fmt.Errorf("fetching the checkpoint: %w", err)
	}
	cp, _, err := torchwood.VerifyCheckpoint(signed, policy)
	if err != nil {
		return nil, fmt.Errorf("verifying the checkpoint: %w", err)
	}
	v := &verdict{Origin: cp.Origin, Size: cp.N, Root: b64(cp.Hash), Index: *index}

	// The tree hash from the tiles alone; TileHashReader also checks every tile it reads against cp.Hash.
	tilesRoot, err := tlog.TreeHash(cp.N, torchwood.TileHashReaderWithContext(ctx, cp.Tree, fetcher))
	if err != nil {
		return nil, fmt.Errorf("tree hash from the tiles: %w", err)
	}
	v.TilesRoot = b64(tilesRoot)
	if tilesRoot != cp.Hash {
		return nil, fmt.Errorf("the tiles' root %s is not the checkpoint's %s", v.TilesRoot, v.Root)
	}

	client, err := torchwood.NewClient(fetcher) // default cut: tlog-tiles entry bundles
	if err != nil {
		return nil, err
	}
	// Every entry of every bundle, full and partial, each checked against its leaf hash in the tiles.
	for i := range client.AllEntries(ctx, cp.Tree, 0) {
		if i != v.Entries {
			return nil, fmt.Errorf("entry %d came out of order (expected %d)", i, v.Entries)
		}
		v.Entries++
	}
	if err := client.Err(); err != nil {
		return nil, fmt.Errorf("reading the entry bundles: %w", err)
	}
	if v.Entries != cp.N {
		return nil, fmt.Errorf("read %d entries from the bundles of a tree of %d", v.Entries, cp.N)
	}

	entry, proof, err := client.Entry(ctx, cp.Tree, *index) // checks the inclusion proof itself
	if err != nil {
		return nil, fmt.Errorf("inclusion of entry %d: %w", *index, err)
	}
	rh := tlog.RecordHash(entry)
	if err := tlog.CheckRecord(proof, cp.N, cp.Hash, *index, rh); err != nil {
		return nil, fmt.Errorf("inclusion proof of entry %d: %w", *index, err)
	}
	v.LeafHash = hex.EncodeToString(rh[:])
	for _, h := range proof {
		v.Proof = append(v.Proof, b64(h))
	}

	if *earlier > 0 {
		if err := checkEarlier(ctx, *base, policy, cp, fetcher, *earlier); err != nil {
			return nil, err
		}
		v.Earlier = *earlier
	}
	v.OK = true
	return v, nil
}

// checkEarlier fetches the checkpoint the node signed at size `size` and proves the latest tree
// consistent with it from the tiles.
func checkEarlier(ctx context.Context, base string, policy torchwood.Policy, latest torchwood.Checkpoint,
	fetcher *torchwood.TileFetcher, size int64) error {
	res, err := http.Get(fmt.Sprintf("%s/v1/checkpoint?size=%d", strings.TrimSuffix(base, "/"), size))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		return fmt.Errorf("checkpoint at size %d: status %d: %s", size, res.StatusCode, body)
	}
	old, _, err := torchwood.VerifyCheckpoint(body, policy)
	if err != nil {
		return fmt.Errorf("verifying the checkpoint at size %d: %w", size, err)
	}
	if old.N != size {
		return fmt.Errorf("asked for the checkpoint at size %d, got size %d", size, old.N)
	}
	proof, err := tlog.ProveTree(latest.N, old.N, torchwood.TileHashReaderWithContext(ctx, latest.Tree, fetcher))
	if err != nil {
		return fmt.Errorf("consistency proof %d -> %d: %w", old.N, latest.N, err)
	}
	if err := tlog.CheckTree(proof, latest.N, latest.Hash, old.N, old.Hash); err != nil {
		return fmt.Errorf("the checkpoint at size %d is not consistent with the latest: %w", size, err)
	}
	return nil
}

func b64(h tlog.Hash) string { return base64.StdEncoding.EncodeToString(h[:]) }

// vectors builds a log of deterministic leaves with Go's tlog and prints what a tlog-tiles log of
// each size publishes: every tile's path (torchwood.TilePath) and the SHA-256 of its bytes
// (tlog.ReadTileData; torchwood.AppendTileEntry for the bundles).
func vectors() (any, error) {
	const n = 600
	var stored []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(indexes))
		for i, x := range indexes {
			out[i] = stored[x]
		}
		return out, nil
	})
	leaves := make([][]byte, n)
	for i := range leaves {
		leaves[i] = []byte(strings.Repeat(fmt.Sprintf("leaf %d;", i), i%4))
		hashes, err := tlog.StoredHashes(int64(i), leaves[i], reader)
		if err != nil {
			return nil, err
		}
		stored = append(stored, hashes...)
	}
	type tileVector struct {
		Path   string `json:"path"`
		SHA256 string `json:"sha256"`
	}
	type sizeVector struct {
		Size  int64        `json:"size"`
		Root  string       `json:"root"`
		Tiles []tileVector `json:"tiles"`
	}
	type pathVector struct {
		Level int    `json:"level"` // -1: an entry bundle
		Index int64  `json:"index"`
		Width int    `json:"width"`
		Path  string `json:"path"`
	}
	out := struct {
		Comment string       `json:"comment"`
		Leaf    string       `json:"leaf"`
		Paths   []pathVector `json:"paths"`
		Sizes   []sizeVector `json:"sizes"`
	}{
		Comment: "written by test/interop/tiles-client (go run . vectors): Go's x/mod/sumdb/tlog and filippo.io/torchwood",
		Leaf:    "leaf i = (\"leaf \" + i + \";\") repeated i % 4 times",
	}
	for _, t := range []tlog.Tile{{H: 8, L: 0, N: 0, W: 256}, {H: 8, L: 0, N: 1234067, W: 256},
		{H: 8, L: 1, N: 1000, W: 17}, {H: 8, L: -1, N: 999, W: 1}, {H: 8, L: 63, N: 1000000, W: 255}} {
		out.Paths = append(out.Paths, pathVector{Level: t.L, Index: t.N, Width: t.W, Path: torchwood.TilePath(t)})
	}
	for _, size := range []int64{1, 3, 255, 256, 257, 511, 512, 600} {
		root, err := tlog.TreeHash(size, reader)
		if err != nil {
			return nil, err
		}
		sv := sizeVector{Size: size, Root: b64(root)}
		for _, t := range tlog.NewTiles(8, 0, size) {
			data, err := tlog.ReadTileData(t, reader)
			if err != nil {
				return nil, err
			}
			sv.Tiles = append(sv.Tiles, tileVector{Path: torchwood.TilePath(t), SHA256: sha(data)})
			if t.L != 0 {
				continue
			}
			var bundle []byte
			for i := t.N * 256; i < t.N*256+int64(t.W); i++ {
				if bundle, err = torchwood.AppendTileEntry(bundle, leaves[i]); err != nil {
					return nil, err
				}
			}
			t.L = -1
			sv.Tiles = append(sv.Tiles, tileVector{Path: torchwood.TilePath(t), SHA256: sha(bundle)})
		}
		out.Sizes = append(out.Sizes, sv)
	}
	return out, nil
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
