#include <model/recommend_internal.h>
#include <stdio.h>
#include <cjson/cJSON.h>
