___INFO___

{}

___TEMPLATE_PARAMETERS___

[]

