package contexts

// SHA-256 digests (hex) of the RFC 8785 canonical form of the contexts
// fetched at first use. The JCS form makes the pin independent of how the
// server indents the file; credential's tests check them against the copies
// in ../shared/data/credentials/contexts.
const (
	clrV2p0Digest     = "a2dd0c0c07434663b7b54a51dd8a3363f6d5c420efa87e3d97b4ef8661596d44"
	clrV2p0v201Digest = "7defe702c102faf14108579b7d65ef39ecf4c3bbef925b803e15bd77cd6e3394"
	ob303LaterDigest  = "04b1136ddc4eda9a8966bc7ef182789f233a26739473140ef75d6968c29a2966"
)
