# Turns a template file into a C++ source defining one string_view:
#   cmake -DINPUT=file.tmpl -DOUTPUT=file.cpp -DSYMBOL=name -P embed_template.cmake
file(READ ${INPUT} text)
string(FIND "${text}" ")tocsin_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter")
endif()
file(WRITE ${OUTPUT}.tmp
  "// Generated from ${INPUT}; do not edit.\n"
  "#include <string_view>\n"
  "namespace tocsin::tmpl {\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} = R\"tocsin_embed(${text})tocsin_embed\";\n"
  "}  // namespace tocsin::tmpl\n")
file(COPY_FILE ${OUTPUT}.tmp ${OUTPUT} ONLY_IF_DIFFERENT)
file(REMOVE ${OUTPUT}.tmp)
