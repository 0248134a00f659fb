package ops_test

import (
	"testing"

	"github.com/netscore/netscore/internal/graph"
	"github.com/netscore/netscore/internal/graph/graphtest"
)

// TfIdfVectorizer: shapes from the ONNX backend tests' expected outputs.
func TestText(t *testing.T) {
	runCases(t, []ruleCase{{
		// node/test_tfidfvectorizer_tf_batch_onlybigrams_skip0: X [2 6],
		// ngram_indexes 0..6 -> Y [2 7].
		name: "TfIdfVectorizer batch",
		model: graphtest.New().Opset("", 9).
			Input("X", graph.Int32, 2, 6).
			Node("TfIdfVectorizer", "X").Str("mode", "TF").Int("min_gram_length", 2).Int("max_gram_length", 2).Int("max_skip_count", 0).
			Ints("ngram_counts", 0, 4).Ints("ngram_indexes", 0, 1, 2, 3, 4, 5, 6).Ints("pool_int64s", 2, 3, 5, 4, 5, 6, 7, 8, 6, 7).Out("Y").
			Outputs("Y"),
		shapes:   [][]int64{{2, 7}},
		uncosted: "TfIdfVectorizer",
	}, {
		// node/test_tfidfvectorizer_tf_onlybigrams_levelempty: X [12],
		// ngram_indexes 0..2 -> Y [3].
		name: "TfIdfVectorizer 1-D",
		model: graphtest.New().Opset("", 9).
			Input("X", graph.Int32, 12).
			Node("TfIdfVectorizer", "X").Str("mode", "TF").Int("min_gram_length", 2).Int("max_gram_length", 2).Int("max_skip_count", 0).
			Ints("ngram_counts", 0, 0).Ints("ngram_indexes", 0, 1, 2).Ints("pool_int64s", 5, 6, 7, 8, 6, 7).Out("Y").
			Outputs("Y"),
		shapes:   [][]int64{{3}},
		uncosted: "TfIdfVectorizer",
	}, {
		// node/test_strnormalizer_nostopwords_nochangecase: no stopwords,
		// [2] -> [2].
		name: "StringNormalizer without stopwords",
		model: graphtest.New().Opset("", 10).
			Input("x", graph.String, 2).
			Node("StringNormalizer", "x").Int("is_case_sensitive", 1).Out("y").
			Outputs("y"),
		shapes: [][]int64{{2}},
	}, {
		// node/test_strnormalizer_export_monday_casesensintive_upper drops
		// the stopword "monday": [4] strings gave 3 there, a count that
		// depends on the strings, so unknown here.
		name: "StringNormalizer with stopwords",
		model: graphtest.New().Opset("", 10).
			Input("x", graph.String, 4).
			Node("StringNormalizer", "x").Str("case_change_action", "UPPER").Int("is_case_sensitive", 1).
			Attr("stopwords", &graph.Attr{Kind: graph.AttrStrings, Strings: []string{"monday"}}).Out("y").
			Outputs("y"),
		shapes: [][]int64{{-1}},
	}})
}
