<!DOCTYPE html>
<html xml:lang="ru" lang="ru">
<head>
	<meta http-equiv="X-UA-Compatible" content="IE=edge" />
	<meta name="viewport" content="user-scalable=no, initial-scale=1.0, maximum-scale=1.0, width=device-width">
	<meta http-equiv="Content-Type" content="text/html; charset=UTF-8" />
	<title>Авторизация</title>
	<link href="/bitrix/cache/css/s1/school/template_5c2f.css?17155" type="text/css" rel="stylesheet" />
	<script type="text/javascript">if(!window.BX)window.BX={message:function(mess){}};</script>
	<script type="text/javascript" src="/bitrix/js/main/core/core.min.js?1715584"></script>
</head>
<body class="bx-background-image">
<div id="panel"></div>
<div class="bx-wrapper" id="bx_eshop_wrap">
	<header class="bx-header">
		<div class="bx-logo"><a class="bx-logo-block" href="/"><img src="/include/logo.png" alt=""> МБОУ «Гимназия № 3»</a></div>
		<div class="bx-inc-orginfo"><span class="bx-inc-orginfo-phone"><i class="fa fa-phone"></i> 8 (86130) 4-27-15</span>
		<span class="bx-inc-orginfo-mail">gymn3@tim-edu.example.ru</span></div>
		<a class="special-version" href="?special_version=Y">Версия для слабовидящих</a>
		<div class="bx-top-nav">
			<ul class="bx-nav-list-1-lvl">
				<li class="bx-nav-1-lvl"><a href="/">Главная</a></li>
				<li class="bx-nav-1-lvl"><a href="/sveden/">Сведения об образовательной организации</a></li>
				<li class="bx-nav-1-lvl"><a href="/news/">Новости</a></li>
				<li class="bx-nav-1-lvl"><a href="/internet-priemnaya/">Интернет-приёмная</a></li>
				<li class="bx-nav-1-lvl"><a href="/faq/">Вопросы и ответы</a></li>
				<li class="bx-nav-1-lvl"><a href="/auth/?login=yes">Вход</a></li>
			</ul>
		</div>
	</header>
	<div class="workarea">
	<div class="container"><div class="row">
	
	<div class="col-md-9 bx-content">
		<div class="bx-breadcrumb"><div class="bx-breadcrumb-item"><a href="/" title="Главная"><span>Главная</span></a></div></div>
		<h1 id="pagetitle">Авторизация</h1>
<form method="post"><input type="text" name="USER_LOGIN"><input type="password" name="USER_PASSWORD"></form>
	</div>
	</div></div>
	</div>
	<footer class="bx-footer">
		<div class="bx-footer-line">Муниципальное бюджетное общеобразовательное учреждение «Гимназия № 3» муниципального образования Тимашевский район. 352700, Краснодарский край, г. Тимашевск, ул. Пионерская, д. 91</div>
		<div class="bx-footer-bottomline">© 2025 Все права защищены. Работает на «1С-Битрикс: Сайт школы»</div>
	</footer>
</div>
</body>
</html>
