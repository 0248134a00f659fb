package fleet

// AnalyzeKind is the kind the workers' rescuer knows as the server's.
var AnalyzeKind = analyzeKind{}.Kind()
